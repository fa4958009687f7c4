package io.github.sessiongate.testsupport;

import java.time.Duration;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * Spring Session Data Redis's plain {@link RedisSessionRepository} (no index, no events),
 * as an application would configure it.
 */
public final class RedisTestSessions {

	private RedisTestSessions() {
	}

	/**
	 * A repository under a key namespace of its own.
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

}
