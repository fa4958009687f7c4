package io.github.sessiongate.benchmarks.http;

import io.github.sessiongate.SessionGate;
import org.jspecify.annotations.Nullable;

/**
 * Variant (5): SessionGate on Redis (Redis session repository and Redis ledger), every
 * limit on.
 */
final class RedisGateVariant {

	/** Why the variant is missing, when it is. */
	static final String UNAVAILABLE = "RedisSessionLedger is not on this branch yet";

	private RedisGateVariant() {
	}

	/**
	 * Builds the gate.
	 * @param redis the Redis to use
	 * @param namespace the key namespace for sessions and ledger
	 * @return the gate, or {@code null} while the Redis ledger is not available
	 */
	static @Nullable SessionGate create(RedisSupport redis, String namespace) {
		return null;
	}

}
