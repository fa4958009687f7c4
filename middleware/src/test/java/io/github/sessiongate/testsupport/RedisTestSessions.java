package io.github.sessiongate.testsupport;

import java.time.Duration;

import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.redis.SessionGateRedisSessionRepository;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * The Redis session repositories a gate on Redis can use, as an application would
 * configure them: Spring Session Data Redis's plain {@link RedisSessionRepository} (no
 * index, no events) and SessionGate's own {@link SessionGateRedisSessionRepository}.
 */
public final class RedisTestSessions {

	private RedisTestSessions() {
	}

	/**
	 * A repository of either kind.
	 * @param kind which repository
	 * @param connectionFactory standalone or cluster
	 * @param ledger the gate's ledger (SessionGate's repository stores next to it)
	 * @param namespace the key namespace of Spring Session's repository
	 * @param maxInactiveInterval the idle timeout of new sessions
	 * @return the repository
	 */
	public static SessionRepository<? extends Session> repository(Kind kind, RedisConnectionFactory connectionFactory,
			RedisSessionLedger ledger, String namespace, Duration maxInactiveInterval) {
		return switch (kind) {
			case SPRING_SESSION -> repository(connectionFactory, namespace, maxInactiveInterval);
			case SESSIONGATE -> SessionGateRedisSessionRepository.builder(ledger)
				.defaultMaxInactiveInterval(maxInactiveInterval)
				.build();
		};
	}

	/**
	 * Spring Session's repository under a key namespace of its own.
	 * @param connectionFactory standalone or cluster
	 * @param namespace the key namespace
	 * @param maxInactiveInterval the idle timeout of new sessions
	 * @return the repository
	 */
	public static RedisSessionRepository repository(RedisConnectionFactory connectionFactory, String namespace,
			Duration maxInactiveInterval) {
		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setConnectionFactory(connectionFactory);
		template.setKeySerializer(new StringRedisSerializer());
		template.setHashKeySerializer(new StringRedisSerializer());
		template.setValueSerializer(new JdkSerializationRedisSerializer());
		template.setHashValueSerializer(new JdkSerializationRedisSerializer());
		template.afterPropertiesSet();
		RedisSessionRepository repository = new RedisSessionRepository(template);
		repository.setRedisKeyNamespace(namespace);
		repository.setDefaultMaxInactiveInterval(maxInactiveInterval);
		return repository;
	}

	/**
	 * The two Redis session repositories.
	 */
	public enum Kind {

		/** Spring Session Data Redis's {@code RedisSessionRepository}. */
		SPRING_SESSION,

		/** SessionGate's own, next to the ledger's records. */
		SESSIONGATE

	}

}
