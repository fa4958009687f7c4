package io.github.sessiongate.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.Permit;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.ledger.StreamRenewal;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import org.jspecify.annotations.Nullable;

/**
 * The streams of sessions (server-sent events, WebSockets, long polls): one lease each in
 * the session's stream set ({@code session:{id}:streams}), apart from the lease set of
 * its requests, so that streams never count against the concurrency limit. A stream is
 * admitted by one script, renewed by the gate's stream checker with one script per check
 * (which is also how a node learns that the session ended on another node) and closed by
 * one script; a node that crashes leaves leases that expire by themselves.
 *
 * <p>
 * A stream that is the first request of a session the ledger does not know yet counts the
 * session in its index (under {@code limits.max-sessions}) as an ordinary first request
 * does, then creates the record in its admission. A stream of a session past its absolute
 * age leaves the end to the ordinary admission, which publishes it.
 *
 * @author SessionGate team
 */
final class StreamLeases {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final RedisScripts scripts;

	private final Admissions admissions;

	private final RequestEnds ends;

	private final SessionIndex sessions;

	private final long leaseMillis;

	private final long keepMillis;

	StreamLeases(RedisScripts scripts, Admissions admissions, RequestEnds ends, SessionIndex sessions, long leaseMillis,
			long keepMillis) {
		this.scripts = scripts;
		this.admissions = admissions;
		this.ends = ends;
		this.sessions = sessions;
		this.leaseMillis = leaseMillis;
		this.keepMillis = keepMillis;
	}

	Admission begin(RequestStart start) {
		String tenant = SessionIndex.storedTenant(start.tenant());
		StreamPermit permit = new StreamPermit(start.sessionId(), newId());
		RedisScripts.StreamAdmitReply reply = admit(start, tenant, permit, false);
		if (reply instanceof RedisScripts.StreamAdmitReply.Absent) {
			if (!this.sessions.register(start, tenant)) {
				return new Admission.Rejected(Limit.MAX_SESSIONS, start.limits().retryAfter());
			}
			reply = admit(start, tenant, permit, true);
		}
		Admission admission = decide(start, reply, permit);
		if (admission != null) {
			return admission;
		}
		// past its absolute age: the ordinary admission ends it and says so
		Admission ordinary = this.admissions.begin(start);
		if (ordinary instanceof Admission.Admitted admitted) {
			// ended meanwhile by nobody, after all: the stream is refused this once
			this.ends.end(admitted.permit(), new RequestOutcome(0, false));
			return new Admission.Rejected(Limit.SESSION_STREAMS, start.limits().retryAfter());
		}
		return ordinary;
	}

	private RedisScripts.StreamAdmitReply admit(RequestStart start, String tenant, StreamPermit permit,
			boolean create) {
		SessionLimits limits = start.limits();
		RateLimit rate = limits.rate();
		Duration absolute = limits.absoluteTimeout();
		return this.scripts.admitStream(start.sessionId(),
				new RedisScripts.StreamAdmissionArgs(tenant, (absolute != null) ? Math.max(1, absolute.toMillis()) : 0,
						limits.maxStreamsPerSession(), (rate != null) ? rate.capacity() : 0,
						(rate != null) ? rate.refillPeriod().toNanos() / 1000 : 0, this.leaseMillis, permit.streamId(),
						this.keepMillis, create, RedisScripts.micros(start.creationTime()),
						start.idleTimeout().toMillis(), start.origin()));
	}

	/**
	 * The stream's admission, or {@code null} when the ordinary admission must decide.
	 */
	private @Nullable Admission decide(RequestStart start, RedisScripts.StreamAdmitReply reply, StreamPermit permit) {
		SessionLimits limits = start.limits();
		if (reply instanceof RedisScripts.StreamAdmitReply.Admitted admitted) {
			String user = admitted.user();
			return new Admission.Admitted(permit, user.isEmpty() ? null : user, admitted.created(),
					admitted.tokensLeft());
		}
		if (reply instanceof RedisScripts.StreamAdmitReply.Rejected rejected) {
			Limit limit = "rate".equals(rejected.limit()) ? Limit.RATE : Limit.SESSION_STREAMS;
			long waitMicros = rejected.waitMicros();
			return new Admission.Rejected(limit, (limit == Limit.RATE)
					? Duration.ofSeconds((waitMicros + 999_999L) / 1_000_000L) : limits.retryAfter());
		}
		if (reply instanceof RedisScripts.StreamAdmitReply.Foreign) {
			return new Admission.ForeignTenant();
		}
		if (reply instanceof RedisScripts.StreamAdmitReply.Ended) {
			SessionStats stats = withStreams(this.scripts.readStats(start.sessionId()));
			return (stats != null) ? new Admission.Ended(stats, false) : null;
		}
		return null; // absent, over-age
	}

	void end(Permit permit) {
		StreamPermit stream = streamPermit(permit);
		this.scripts.endStream(stream.sessionId(), stream.streamId());
	}

	StreamRenewal renew(Permit permit, SessionLimits limits) {
		StreamPermit stream = streamPermit(permit);
		Duration absolute = limits.absoluteTimeout();
		String sessionId = stream.sessionId();
		RedisScripts.StreamCheck check = this.scripts.renewStream(sessionId, stream.streamId(), this.leaseMillis,
				(absolute != null) ? Math.max(1, absolute.toMillis()) : 0, this.keepMillis);
		if (check instanceof RedisScripts.StreamCheck.Live) {
			return StreamRenewal.LIVE;
		}
		if (check instanceof RedisScripts.StreamCheck.Moved moved) {
			// the session's id was rotated: the stream follows it
			stream.sessionId(moved.to());
			return renew(stream, limits);
		}
		if (check instanceof RedisScripts.StreamCheck.OverAge) {
			SessionStats ended = this.sessions.end(sessionId, SessionStatus.EXPIRED, "absolute-timeout");
			return new StreamRenewal(false, (ended != null) ? withStreams(ended) : null);
		}
		return StreamRenewal.ENDED;
	}

	/**
	 * Adds a session's stream counts to its stats.
	 * @param stats the stats, or {@code null}
	 * @return the stats with their stream counts, or {@code null}
	 */
	@Nullable SessionStats withStreams(@Nullable SessionStats stats) {
		if (stats == null) {
			return null;
		}
		RedisScripts.StreamCounts counts = this.scripts.readStreams(stats.sessionId());
		return stats.withStreams(counts.open(), counts.count());
	}

	private static StreamPermit streamPermit(Permit permit) {
		if (!(permit instanceof StreamPermit stream)) {
			throw new IllegalArgumentException("permit was not issued for a stream by this ledger: " + permit);
		}
		return stream;
	}

	private static String newId() {
		byte[] random = new byte[12];
		RANDOM.nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	/**
	 * A stream's permit: its lease in the session's stream set.
	 */
	static final class StreamPermit implements Permit {

		private volatile String sessionId;

		private final String streamId;

		StreamPermit(String sessionId, String streamId) {
			this.sessionId = sessionId;
			this.streamId = streamId;
		}

		@Override
		public String sessionId() {
			return this.sessionId;
		}

		void sessionId(String sessionId) {
			this.sessionId = sessionId;
		}

		String streamId() {
			return this.streamId;
		}

		@Override
		public String toString() {
			return "StreamPermit[" + SessionIds.shortForm(this.sessionId) + "]";
		}

	}

}
