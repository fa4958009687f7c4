package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.redis.SessionGateRedisSessionRepository;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.store.StoreCircuitBreaker;
import org.springframework.beans.factory.ObjectProvider;
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
import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.SpringHttpSessionConfiguration;

/**
 * SessionGate's own Redis session repository, when the Redis store keeps sessions in it
 * ({@code sessiongate.redis.session-repository=sessiongate}, or {@code auto} without
 * Spring Session Data Redis on the classpath) and the application has no
 * {@link SessionRepository} of its own. Runs before Spring Boot's Spring Session Data
 * Redis configuration and before the starter's in-memory fallback, which then back off.
 * New sessions get {@code spring.session.timeout} (else
 * {@code server.servlet.session.timeout}); Spring Boot's
 * {@code spring.session.data.redis.flush-mode} and {@code save-mode} apply.
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
	 * The repository, guarded with {@code sessiongate.on-store-failure} (the bean is a
	 * {@link GuardedSessionRepository} around a
	 * {@link SessionGateRedisSessionRepository}).
	 * @param sessionGateLedger the Redis ledger the sessions are stored next to
	 * @param sessionProperties for {@code spring.session.timeout}
	 * @param serverProperties for {@code server.servlet.session.timeout}
	 * @param circuitBreaker the breaker shared with the ledger
	 * @param sessionGate the gate, which counts store failures
	 * @param environment for Spring Boot's flush and save mode properties and the policy
	 * @return the repository
	 */
	@Bean
	GuardedSessionRepository<Session> sessionRepository(RedisSessionLedger sessionGateLedger,
			SessionProperties sessionProperties, ServerProperties serverProperties, StoreCircuitBreaker circuitBreaker,
			ObjectProvider<SessionGate> sessionGate, Environment environment) {
		Binder binder = Binder.get(environment);
		SessionGateRedisSessionRepository repository = SessionGateRedisSessionRepository.builder(sessionGateLedger)
			.defaultMaxInactiveInterval(
					SessionGateAutoConfiguration.sessionTimeout(sessionProperties, serverProperties))
			.flushMode(binder.bind("spring.session.data.redis.flush-mode", FlushMode.class).orElse(FlushMode.ON_SAVE))
			.saveMode(binder.bind("spring.session.data.redis.save-mode", SaveMode.class)
				.orElse(SaveMode.ON_SET_ATTRIBUTE))
			.build();
		return SessionGateRedisConfiguration.guarded(repository, circuitBreaker, sessionGate, environment);
	}

}
