package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.redis.SessionGateRedisSessionRepository;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.store.StoreCircuitBreaker;
import io.github.sessiongate.web.SessionIdValidator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.config.annotation.web.http.SpringHttpSessionConfiguration;

/**
 * SessionGate's own Redis session repository, when the Redis store keeps sessions in it
 * ({@code sessiongate.redis.session-repository=sessiongate}, or {@code auto} without
 * Spring Session Data Redis on the classpath) and the application has no
 * {@link SessionRepository} of its own. Runs before Spring Boot's Spring Session Data
 * Redis configuration and before the starter's in-memory fallback, which then back off.
 * It honours what Spring Session Data Redis's configuration honours for its non-indexed
 * repository, where it applies: new sessions get {@code spring.session.timeout} (else
 * {@code server.servlet.session.timeout}); Spring Boot's
 * {@code spring.session.data.redis.flush-mode} and {@code save-mode} apply; attribute
 * values go through the {@code RedisSerializer<Object>} bean named
 * {@value #DEFAULT_SERIALIZER_BEAN_NAME} (else JDK serialization); a
 * {@link SessionIdGenerator} bean makes the session ids (checked against the gate's
 * {@link SessionIdValidator} at start-up); and
 * {@code SessionRepositoryCustomizer<SessionGateRedisSessionRepository>} beans are
 * called, in order, with the built repository. docs/guide-redis.md lists what does not
 * apply.
 *
 * @author SessionGate team
 */
@AutoConfiguration(before = { SessionAutoConfiguration.class, SessionGateAutoConfiguration.class },
		beforeName = "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = { SessionGateStoreConditions.REDIS_LEDGER_CLASS,
		SessionGateStoreConditions.REDIS_CONNECTION_FACTORY_CLASS })
@ConditionalOnBooleanProperty(name = "sessiongate.enabled", matchIfMissing = true)
@Conditional(SessionGateStoreConditions.OnSessionGateRedisSessions.class)
@ConditionalOnMissingBean(SessionRepository.class)
@EnableConfigurationProperties({ SessionProperties.class, ServerProperties.class })
@Import(SpringHttpSessionConfiguration.class)
public final class SessionGateRedisSessionsAutoConfiguration {

	/**
	 * Name of the attribute serializer bean, the one Spring Session Data Redis's
	 * configuration uses.
	 */
	public static final String DEFAULT_SERIALIZER_BEAN_NAME = "springSessionDefaultRedisSerializer";

	/**
	 * The repository, guarded with {@code sessiongate.on-store-failure} (the bean is a
	 * {@link GuardedSessionRepository} around a
	 * {@link SessionGateRedisSessionRepository}).
	 * @param sessionGateLedger the Redis ledger the sessions are stored next to
	 * @param sessionProperties for {@code spring.session.timeout}
	 * @param serverProperties for {@code server.servlet.session.timeout}
	 * @param circuitBreaker the breaker shared with the ledger
	 * @param sessionGate the gate, which counts store failures
	 * @param environment for Spring Boot's flush and save mode properties and the policy
	 * @param serializer the application's attribute serializer, if any
	 * @param sessionIdGenerator the application's session id generator, if any
	 * @param sessionIdValidator the gate's id validator, which the generated ids must
	 * pass
	 * @param customizers the application's customizers of the repository
	 * @return the repository
	 */
	@Bean
	GuardedSessionRepository<Session> sessionRepository(RedisSessionLedger sessionGateLedger,
			SessionProperties sessionProperties, ServerProperties serverProperties, StoreCircuitBreaker circuitBreaker,
			ObjectProvider<SessionGate> sessionGate, Environment environment,
			@Qualifier(DEFAULT_SERIALIZER_BEAN_NAME) ObjectProvider<RedisSerializer<Object>> serializer,
			ObjectProvider<SessionIdGenerator> sessionIdGenerator,
			ObjectProvider<SessionIdValidator> sessionIdValidator,
			ObjectProvider<SessionRepositoryCustomizer<SessionGateRedisSessionRepository>> customizers) {
		Binder binder = Binder.get(environment);
		SessionGateRedisSessionRepository.Builder builder = SessionGateRedisSessionRepository.builder(sessionGateLedger)
			.defaultMaxInactiveInterval(
					SessionGateAutoConfiguration.sessionTimeout(sessionProperties, serverProperties))
			.flushMode(binder.bind("spring.session.data.redis.flush-mode", FlushMode.class).orElse(FlushMode.ON_SAVE))
			.saveMode(binder.bind("spring.session.data.redis.save-mode", SaveMode.class)
				.orElse(SaveMode.ON_SET_ATTRIBUTE));
		serializer.ifAvailable(builder::serializer);
		sessionIdGenerator.ifAvailable((generator) -> {
			checkIds(generator, sessionIdValidator.getIfAvailable(SessionIdValidator::defaults));
			builder.sessionIdGenerator(generator);
		});
		SessionGateRedisSessionRepository repository = builder.build();
		customizers.orderedStream().forEach((customizer) -> customizer.customize(repository));
		return SessionGateRedisConfiguration.guarded(repository, circuitBreaker, sessionGate, environment);
	}

	/**
	 * Fails start-up when the application's generator makes ids that the gate would treat
	 * as no session id at all (every request would then start a new session).
	 */
	private static void checkIds(SessionIdGenerator generator, SessionIdValidator validator) {
		String sample = generator.generate();
		if (!validator.isValid(sample)) {
			throw new IllegalStateException("The SessionIdGenerator bean " + generator.getClass().getName()
					+ " makes ids that SessionGate's SessionIdValidator rejects (" + sample.length()
					+ " characters, see SessionIdValidator for the shape it accepts): make ids of that shape, "
					+ "or declare a SessionIdValidator bean that accepts them");
		}
	}

}
