package io.github.sessiongate.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.github.sessiongate.ledger.SessionOrigin;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import org.jspecify.annotations.Nullable;

/**
 * Admits requests: one script at request start (create or touch the record, check tenant,
 * ended status and absolute timeout, take a concurrency lease, take a rate token), or the
 * same admission inside the load of the session with
 * {@link SessionGateRedisSessionRepository}. An admission carries a deadline in Redis
 * time, learnt from the replies, so that a script Redis runs after this node stopped
 * waiting for it takes nothing.
 *
 * @author SessionGate team
 */
final class Admissions {

	/** The clock offset to Redis before the first reply told it. */
	private static final long UNKNOWN_OFFSET = Long.MIN_VALUE;

	private final RedisScripts scripts;

	private final Leases leases;

	private final RequestScopes scopes;

	private final SessionIndex index;

	private final long retentionMillis;

	private final long keepMillis;

	/** The longest the client waits for an admission; 0 when not known. */
	private final long timeoutMillis;

	/**
	 * Redis {@code TIME} minus this node's wall clock, plus the smallest latency seen (an
	 * over-estimate, so deadlines err late).
	 */
	private final AtomicLong clockOffsetMillis = new AtomicLong(UNKNOWN_OFFSET);

	Admissions(RedisScripts scripts, Leases leases, RequestScopes scopes, SessionIndex index, long retentionMillis,
			long keepMillis, long timeoutMillis) {
		this.scripts = scripts;
		this.leases = leases;
		this.scopes = scopes;
		this.index = index;
		this.retentionMillis = retentionMillis;
		this.keepMillis = keepMillis;
		this.timeoutMillis = timeoutMillis;
	}

	Admission begin(RequestStart start) {
		String sessionId = start.sessionId();
		String tenant = SessionIndex.storedTenant(start.tenant());
		RedisPermit permit = null;
		RedisScripts.AdmitReply reply = null;
		RequestScopes.Stashed stashed = this.scopes.takeStash(sessionId, tenant);
		if (stashed != null) {
			// the session was loaded by this thread a moment ago, and the request
			// admitted in the same script
			permit = stashed.permit();
			reply = stashed.reply();
		}
		else {
			permit = this.leases.newPermit(sessionId);
		}
		try {
			if (reply == null || reply instanceof RedisScripts.AdmitReply.Late) {
				reply = admit(start, tenant, permit, false);
			}
			if (reply instanceof RedisScripts.AdmitReply.Absent) {
				if (!this.index.register(start, tenant)) {
					return new Admission.Rejected(Limit.MAX_SESSIONS, start.limits().retryAfter());
				}
				reply = admit(start, tenant, permit, true);
			}
		}
		catch (RuntimeException ex) {
			this.leases.abandonAdmission(ex, permit);
			throw ex;
		}
		return decide(start, permit, reply);
	}

	private Admission decide(RequestStart start, RedisPermit permit, RedisScripts.AdmitReply reply) {
		if (reply instanceof RedisScripts.AdmitReply.Admitted admitted) {
			this.leases.taken(permit);
			StoredSession session = this.scopes.session(start.sessionId());
			if (session != null) {
				permit.session(session);
			}
			String user = admitted.user();
			return new Admission.Admitted(permit, user.isEmpty() ? null : user, admitted.created(),
					admitted.tokensLeft());
		}
		if (reply instanceof RedisScripts.AdmitReply.Rejected rejected) {
			if (Limit.RATE.tag().equals(rejected.limit())) {
				return new Admission.Rejected(Limit.RATE, ceilSeconds(rejected.waitMicros()));
			}
			return new Admission.Rejected(Limit.SESSION_CONCURRENCY, start.limits().retryAfter());
		}
		if (reply instanceof RedisScripts.AdmitReply.Ended ended) {
			if (ended.endedNow()) {
				this.index.retire(ended.stats());
			}
			return new Admission.Ended(ended.stats(), ended.endedNow());
		}
		if (reply instanceof RedisScripts.AdmitReply.Foreign) {
			return new Admission.ForeignTenant();
		}
		// only an admission sent again with a lease id this node gave up on gets here
		throw new IllegalStateException("Unexpected admission reply: " + reply);
	}

	private RedisScripts.AdmitReply admit(RequestStart start, String tenant, RedisPermit permit, boolean create) {
		long sentAt = System.currentTimeMillis();
		RedisScripts.AdmitReply reply = this.scripts.admitRequest(start.sessionId(),
				arguments(start, tenant, permit, create, deadline(sentAt)));
		if (!learnClockOffset(reply, sentAt)) {
			// the reply came in time, so the offset was wrong (e.g. this node's clock was
			// set back): it is learnt again; retry at once
			return this.scripts.admitRequest(start.sessionId(), arguments(start, tenant, permit, create, 0));
		}
		return reply;
	}

	private RedisScripts.AdmissionArgs arguments(RequestStart start, String tenant, RedisPermit permit, boolean create,
			long deadline) {
		return arguments(tenant, RedisScripts.micros(start.creationTime()), start.idleTimeout().toMillis(),
				start.limits(), permit, create, deadline, start.origin());
	}

	private RedisScripts.AdmissionArgs arguments(String tenant, long createdMicros, long idleMillis,
			SessionLimits limits, RedisPermit permit, boolean create, long deadline, SessionOrigin origin) {
		RateLimit rate = limits.rate();
		Duration absolute = limits.absoluteTimeout();
		return new RedisScripts.AdmissionArgs(tenant, createdMicros, idleMillis, this.retentionMillis,
				(absolute != null) ? Math.max(1, absolute.toMillis()) : 0, limits.maxConcurrentRequestsPerSession(),
				(rate != null) ? rate.capacity() : 0, (rate != null) ? rate.refillPeriod().toNanos() / 1000 : 0,
				this.leases.leaseMillis(), permit.leaseId(), create, deadline, this.keepMillis, origin);
	}

	/**
	 * Loads a session and admits its request in the same script, keeping the admission
	 * for {@link #begin}.
	 * @param build makes the session from its stored fields and values ({@code null}:
	 * incomplete)
	 * @return the session, or {@code null} when there is none
	 */
	<S extends StoredSession> @Nullable S loadAndAdmit(String sessionId, RequestScopes.Expected expected,
			Function<List<Object>, @Nullable S> build) {
		RedisPermit permit = this.leases.newPermit(sessionId);
		long sentAt = System.currentTimeMillis();
		RedisScripts.Loaded loaded;
		try {
			loaded = this.scripts.loadAndAdmit(sessionId, arguments(expected.tenant(), 0, 0, expected.limits(), permit,
					false, deadline(sentAt), SessionOrigin.NONE));
		}
		catch (RuntimeException ex) {
			this.leases.abandonAdmission(ex, permit);
			throw ex;
		}
		if (loaded == null) {
			return null;
		}
		boolean admitted = loaded.admission() instanceof RedisScripts.AdmitReply.Admitted;
		S session;
		try {
			session = build.apply(loaded.data());
		}
		catch (RuntimeException ex) {
			if (admitted) {
				this.leases.abandon(permit, false);
			}
			throw ex;
		}
		if (session == null) {
			if (admitted) {
				this.leases.abandon(permit, false);
			}
			return null;
		}
		learnClockOffset(loaded.admission(), sentAt);
		this.scopes.stash(permit, loaded.admission(), expected.tenant());
		return session;
	}

	/** The deadline to send with an admission, in Redis time; 0 when not known. */
	private long deadline(long sentAt) {
		long offset = this.clockOffsetMillis.get();
		return (this.timeoutMillis > 0 && offset != UNKNOWN_OFFSET) ? sentAt + offset + this.timeoutMillis : 0;
	}

	/**
	 * Learns the offset of the Redis clock from an admission's reply.
	 * @return {@code false} when the admission came late by a wrong offset (now learnt)
	 */
	private boolean learnClockOffset(RedisScripts.AdmitReply reply, long sentAt) {
		long now;
		if (reply instanceof RedisScripts.AdmitReply.Late late) {
			this.clockOffsetMillis.set(late.nowMillis() - sentAt);
			return false;
		}
		else if (reply instanceof RedisScripts.AdmitReply.Admitted admitted) {
			now = admitted.nowMillis();
		}
		else if (reply instanceof RedisScripts.AdmitReply.Rejected rejected) {
			now = rejected.nowMillis();
		}
		else {
			return true;
		}
		long sample = now - sentAt;
		this.clockOffsetMillis.accumulateAndGet(sample,
				(current, next) -> (current == UNKNOWN_OFFSET) ? next : Math.min(current, next));
		return true;
	}

	private static Duration ceilSeconds(long micros) {
		return Duration.ofSeconds((micros + 999_999L) / 1_000_000L);
	}

}
