package io.github.sessiongate.redis;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.ledger.Permit;
import org.jspecify.annotations.Nullable;

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

	private @Nullable StoredSession session;

	private @Nullable Thread sessionThread;

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

	/**
	 * Links the session this request loaded or created, so that the end of the request
	 * can save it in the same script; only the thread that links it can take it back.
	 */
	void session(StoredSession session) {
		this.session = session;
		this.sessionThread = Thread.currentThread();
	}

	/**
	 * The linked session, when this thread linked it (the end of an async request on
	 * another thread leaves the save to the repository).
	 */
	@Nullable StoredSession takeSession() {
		StoredSession linked = this.session;
		if (linked == null || this.sessionThread != Thread.currentThread()) {
			return null;
		}
		this.session = null;
		this.sessionThread = null;
		return linked;
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
