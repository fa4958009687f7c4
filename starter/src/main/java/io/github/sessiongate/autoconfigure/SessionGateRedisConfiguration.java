package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.redis.RedisSessionLedger;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The Redis ledger, when the store is Redis ({@code sessiongate.store=redis}, or
 * {@code auto} with Spring Session Data Redis and a {@link RedisConnectionFactory}
 * present). It uses the application's connection factory, so sessions and ledger share
 * one Redis (or Redis Cluster).
 *
 * @author SessionGate team
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SessionGateStoreConditions.OnRedisStore.class)
class SessionGateRedisConfiguration {

	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean(SessionLedger.class)
	RedisSessionLedger sessionGateLedger(RedisConnectionFactory connectionFactory, SessionGateProperties properties) {
		// the gate closes its ledger; the connection factory stays the application's
		return RedisSessionLedger.builder(connectionFactory)
			.keyPrefix(properties.getRedis().getKeyPrefix())
			.historyRetention(properties.getHistory().getRetention())
			.sweepInterval(properties.getSweepInterval())
			.build();
	}

}
