package io.github.sessiongate.benchmarks.http;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.redis.SessionGateRedisSessionRepository;

/**
 * Variants (5) and (6): SessionGate on Redis, every limit on. Spring Session's
 * {@code RedisSessionRepository} keeps the sessions and the {@link RedisSessionLedger}
 * the tracking state; both share the one Lettuce connection factory that variant (4)
 * uses, so (5)/(4) compares like with like.
 */
final class RedisGateVariant {

	private RedisGateVariant() {
	}

	/**
	 * Builds the gate.
	 * @param redis the Redis to use
	 * @param namespace the key namespace for sessions and ledger, e.g. {@code bench:v5}
	 * @return the gate; close it after the benchmark
	 */
	static SessionGate create(RedisSupport redis, String namespace) {
		RedisSessionLedger ledger = RedisSessionLedger.builder(redis.connectionFactory())
			.keyPrefix(namespace + ":gate:")
			.build();
		return HttpBenchmark.configure(SessionGate.builder(redis.sessionRepository(namespace)).ledger(ledger)).build();
	}

	/**
	 * Builds the gate of variant (6): sessions in SessionGate's own Redis repository,
	 * next to the ledger's records, on the same connection factory.
	 * @param redis the Redis to use
	 * @param namespace the key namespace, e.g. {@code bench:v6}
	 * @return the gate; close it after the benchmark
	 */
	static SessionGate createWithOwnRepository(RedisSupport redis, String namespace) {
		RedisSessionLedger ledger = RedisSessionLedger.builder(redis.connectionFactory())
			.keyPrefix(namespace + ":gate:")
			.build();
		return HttpBenchmark
			.configure(SessionGate.builder(SessionGateRedisSessionRepository.builder(ledger).build()).ledger(ledger))
			.build();
	}

}
