package io.github.sessiongate.redis;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.ledger.Permit;

/**
 * A permit of the Redis ledger: a lease in the session's lease set, identified by a
 * random id.
 *
 * @author SessionGate team
 */
final class RedisPermit implements Permit {

	private volatile String sessionId;

	private final String leaseId;

	private volatile long renewedAtNanos;

	RedisPermit(String sessionId, String leaseId, long now) {
		this.sessionId = sessionId;
		this.leaseId = leaseId;
		this.renewedAtNanos = now;
	}

	@Override
	public String sessionId() {
		return this.sessionId;
	}

	void sessionId(String sessionId) {
		this.sessionId = sessionId;
	}

	String leaseId() {
		return this.leaseId;
	}

	long renewedAtNanos() {
		return this.renewedAtNanos;
	}

	void renewedAtNanos(long nanos) {
		this.renewedAtNanos = nanos;
	}

	@Override
	public String toString() {
		return "RedisPermit[" + SessionIds.shortForm(this.sessionId) + "]";
	}

}
