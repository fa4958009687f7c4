package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.autoconfigure.SessionGateProperties.SessionRepositoryType;
import io.github.sessiongate.autoconfigure.SessionGateProperties.Store;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Decides which store the ledger uses from {@code sessiongate.store}, the classpath and
 * the beans: Redis needs SessionGate's Redis ledger, Spring Data Redis and a
 * {@code RedisConnectionFactory} bean (and Spring Session Data Redis when sessions are
 * stored by its repository); {@code auto} takes Redis when all are there and memory
 * otherwise.
 *
 * @author SessionGate team
 */
final class SessionGateStoreConditions {

	static final String REDIS_LEDGER_CLASS = "io.github.sessiongate.redis.RedisSessionLedger";

	static final String REDIS_SESSION_REPOSITORY_CLASS = "org.springframework.session.data.redis.RedisSessionRepository";

	static final String REDIS_CONNECTION_FACTORY_CLASS = "org.springframework.data.redis.connection.RedisConnectionFactory";

	private SessionGateStoreConditions() {
	}

	static Store configuredStore(ConditionContext context) {
		return Binder.get(context.getEnvironment()).bind("sessiongate.store", Store.class).orElse(Store.AUTO);
	}

	/**
	 * Says what is missing for the Redis store, or {@code null} when nothing is.
	 */
	static @Nullable String missingForRedis(ConditionContext context) {
		return missingForRedis(context.getClassLoader(), context.getBeanFactory(), context.getEnvironment());
	}

	/**
	 * The repository that stores sessions with the Redis store, {@code auto} resolved.
	 */
	static SessionRepositoryType sessionRepository(@Nullable ClassLoader classLoader, Environment environment) {
		SessionRepositoryType configured = Binder.get(environment)
			.bind("sessiongate.redis.session-repository", SessionRepositoryType.class)
			.orElse(SessionRepositoryType.AUTO);
		if (configured != SessionRepositoryType.AUTO) {
			return configured;
		}
		return ClassUtils.isPresent(REDIS_SESSION_REPOSITORY_CLASS, classLoader) ? SessionRepositoryType.SPRING_SESSION
				: SessionRepositoryType.SESSIONGATE;
	}

	/**
	 * Says what is missing for the Redis store, or {@code null} when nothing is.
	 */
	static @Nullable String missingForRedis(@Nullable ClassLoader classLoader,
			@Nullable ListableBeanFactory beanFactory, Environment environment) {
		if (!ClassUtils.isPresent(REDIS_LEDGER_CLASS, classLoader)) {
			return "SessionGate's Redis ledger (" + REDIS_LEDGER_CLASS + ") is not on the classpath";
		}
		if (!ClassUtils.isPresent(REDIS_CONNECTION_FACTORY_CLASS, classLoader)) {
			return "Spring Data Redis is not on the classpath (add spring-boot-starter-data-redis)";
		}
		if (sessionRepository(classLoader, environment) == SessionRepositoryType.SPRING_SESSION
				&& !ClassUtils.isPresent(REDIS_SESSION_REPOSITORY_CLASS, classLoader)) {
			return "Spring Session Data Redis is not on the classpath (add spring-boot-starter-session-data-redis, "
					+ "or set sessiongate.redis.session-repository=sessiongate)";
		}
		Class<?> factoryType = ClassUtils.resolveClassName(REDIS_CONNECTION_FACTORY_CLASS, classLoader);
		if (beanFactory == null || beanFactory.getBeanNamesForType(factoryType, true, false).length == 0) {
			return "there is no RedisConnectionFactory bean";
		}
		return null;
	}

	/**
	 * Store conditions look for a {@code RedisConnectionFactory} bean, so, like
	 * {@code @ConditionalOnBean}, they are decided when beans are registered: at parse
	 * time the application's own {@code @Bean} methods are not registered yet.
	 */
	abstract static class StoreCondition extends SpringBootCondition implements ConfigurationCondition {

		@Override
		public ConfigurationPhase getConfigurationPhase() {
			return ConfigurationPhase.REGISTER_BEAN;
		}

	}

	/**
	 * Matches when the ledger should live in Redis and everything Redis needs is there.
	 */
	static final class OnRedisStore extends StoreCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Store store = configuredStore(context);
			if (store == Store.MEMORY) {
				return ConditionOutcome.noMatch("sessiongate.store is memory");
			}
			String missing = missingForRedis(context);
			return (missing != null) ? ConditionOutcome.noMatch(missing)
					: ConditionOutcome.match("sessiongate.store is " + store.name().toLowerCase()
							+ " and the Redis ledger, its session repository and a RedisConnectionFactory are present");
		}

	}

	/**
	 * Matches when the ledger should live in memory: forced, or {@code auto} without
	 * Redis.
	 */
	static final class OnMemoryStore extends StoreCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Store store = configuredStore(context);
			if (store == Store.MEMORY) {
				return ConditionOutcome.match("sessiongate.store is memory");
			}
			if (store == Store.REDIS) {
				return ConditionOutcome.noMatch("sessiongate.store is redis");
			}
			String missing = missingForRedis(context);
			return (missing != null) ? ConditionOutcome.match("sessiongate.store is auto and " + missing)
					: ConditionOutcome.noMatch("sessiongate.store is auto and Redis is available");
		}

	}

	/**
	 * Matches when {@code sessiongate.store=redis} is asked for but Redis cannot be used,
	 * so that start-up fails with the reason.
	 */
	static final class OnUnavailableRedisStore extends StoreCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			if (configuredStore(context) != Store.REDIS) {
				return ConditionOutcome.noMatch("sessiongate.store is not redis");
			}
			String missing = missingForRedis(context);
			return (missing != null) ? ConditionOutcome.match("sessiongate.store is redis but " + missing)
					: ConditionOutcome.noMatch("sessiongate.store is redis and Redis is available");
		}

	}

	/**
	 * Matches when the Redis store keeps sessions in SessionGate's own repository.
	 */
	static final class OnSessionGateRedisSessions extends StoreCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			if (configuredStore(context) == Store.MEMORY) {
				return ConditionOutcome.noMatch("sessiongate.store is memory");
			}
			String missing = missingForRedis(context);
			if (missing != null) {
				return ConditionOutcome.noMatch(missing);
			}
			return (sessionRepository(context.getClassLoader(),
					context.getEnvironment()) == SessionRepositoryType.SESSIONGATE)
							? ConditionOutcome.match("sessions are stored by SessionGate's Redis session repository")
							: ConditionOutcome.noMatch("sessions are stored by Spring Session Data Redis");
		}

	}

}
