package io.github.sessiongate.ledger;

import java.util.List;
import java.util.Map;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.limit.SessionLimits;
import org.jspecify.annotations.Nullable;

/**
 * Keeps live per-session state: active requests, request, error and rejection counts,
 * processing time, last activity, status with end reason, the user-to-sessions index and
 * the history of ended sessions.
 *
 * <p>
 * The gate calls {@link #begin(RequestStart)} once when a request of a session arrives
 * and, when the request was admitted, {@link #end(Permit, RequestOutcome)} exactly once
 * when it finishes. Each of those must be a single atomic step against the store (one
 * round trip for a remote store) and exact under concurrency: no read-modify-write races,
 * no limit passed even for an instant. Implementations: {@link InMemorySessionLedger} and
 * the Redis ledger. A ledger that also stores the sessions may offer
 * {@link RequestScopedLedger} as well.
 *
 * <p>
 * Semantics every implementation keeps (the shared contract tests check them):
 * <ul>
 * <li>{@code begin} creates the session's record on first sight (status
 * {@link SessionStatus#ACTIVE}) and checks, in order: tenant, ended status, absolute
 * timeout, per-session concurrency, rate. The first failing check decides; a rejected
 * request counts as a rejection of the session and takes no permit. A new record beyond
 * {@link SessionLimits#maxSessions()} live sessions of its tenant is not created.</li>
 * <li>{@code end} releases the permit and records duration and error.</li>
 * <li>A session ends exactly once; ended sessions stay readable for the history
 * retention, then disappear entirely (records and index entries).</li>
 * </ul>
 *
 * @author SessionGate team
 */
public interface SessionLedger extends AutoCloseable {

	/**
	 * Admits (or not) a request of a session and, when admitted, takes a permit.
	 * @param start what is known about the request and its session
	 * @return the decision
	 */
	Admission begin(RequestStart start);

	/**
	 * Releases the permit of an admitted request and records its outcome. Must be called
	 * exactly once per admitted request.
	 * @param permit the permit from {@link Admission.Admitted}
	 * @param outcome how the request went
	 */
	void end(Permit permit, RequestOutcome outcome);

	/**
	 * Admits (or not) a stream of a session: a server-sent events response, a WebSocket
	 * or a long poll. A stream does not count toward
	 * {@link SessionLimits#maxConcurrentRequestsPerSession()}; it counts toward
	 * {@link SessionLimits#maxStreamsPerSession()} (a refusal is
	 * {@link io.github.sessiongate.limit.Limit#SESSION_STREAMS}) and takes one rate
	 * token. The checks before are those of {@link #begin}: tenant, ended status,
	 * absolute timeout. While it is open, the session does not idle-expire.
	 * <p>
	 * The default admits the stream as an ordinary request, for ledgers that know no
	 * streams.
	 * @param start what is known about the request and its session
	 * @return the decision; an admitted stream's permit goes back to {@link #endStream}
	 */
	default Admission beginStream(RequestStart start) {
		return begin(start);
	}

	/**
	 * Closes a stream admitted by {@link #beginStream}: releases its permit and renews
	 * the session's last activity. Must be called exactly once per admitted stream.
	 * @param permit the stream's permit
	 * @param durationNanos how long the stream was open (not a processing time)
	 */
	default void endStream(Permit permit, long durationNanos) {
		end(permit, new RequestOutcome(durationNanos, false));
	}

	/**
	 * Renews an open stream: keeps its session's last activity current (and, for a store
	 * with leases, the stream's lease) and tells whether the session is still live. A
	 * session past the absolute timeout ends here.
	 * @param permit the stream's permit
	 * @param limits the limits (absolute timeout)
	 * @return whether the stream may stay open
	 */
	default StreamRenewal renewStream(Permit permit, SessionLimits limits) {
		SessionStats stats = find(permit.sessionId());
		return (stats != null && stats.status() == SessionStatus.ACTIVE) ? StreamRenewal.LIVE : StreamRenewal.ENDED;
	}

	/**
	 * Returns a session's stats, live or from history.
	 * @param sessionId the session id
	 * @return the stats, or {@code null} when the ledger does not know the session
	 */
	@Nullable SessionStats find(String sessionId);

	/**
	 * Returns the sessions of a user, live and from history, most recently active first.
	 * @param userId the user id
	 * @return the sessions, possibly empty
	 */
	List<SessionStats> findByUser(String userId);

	/**
	 * Finds a session, live or from history, by its reference (the operator's handle on a
	 * session: {@link io.github.sessiongate.SessionIds#shortForm}, 12 hex digits of the
	 * SHA-256 of its id). The built-in ledgers answer exactly at any number of sessions;
	 * this default searches what {@link #findByStatus} lists, so it is exact only for a
	 * ledger that lists all its sessions.
	 * @param reference the reference
	 * @return the session, or {@code null} when none (or more than one) has that
	 * reference
	 */
	default @Nullable SessionStats findByReference(String reference) {
		SessionStats match = null;
		for (SessionStatus status : SessionStatus.values()) {
			for (SessionStats stats : findByStatus(status, Integer.MAX_VALUE)) {
				if (reference.equals(io.github.sessiongate.SessionIds.shortForm(stats.sessionId()))) {
					if (match != null) {
						return null;
					}
					match = stats;
				}
			}
		}
		return match;
	}

	/**
	 * Records application metadata a live session keeps: sets the entries given, removes
	 * those given an empty value and keeps the others, in one atomic step. The caller
	 * applies the gate's {@link MetadataPolicy}; the ledger refuses anything beyond
	 * {@link MetadataPolicy#requireWithinBounds its bounds} (also a result of more than
	 * {@value MetadataPolicy#MAX_KEYS} entries) and then writes nothing. The default
	 * keeps nothing.
	 * @param sessionId the session id
	 * @param changes the entries to set ({@code ""}: remove)
	 * @return {@code true} if recorded, {@code false} when the session is unknown or
	 * ended (or the ledger keeps no metadata)
	 * @throws IllegalArgumentException for metadata beyond the bounds
	 */
	default boolean recordMetadata(String sessionId, Map<String, String> changes) {
		MetadataPolicy.requireWithinBounds(changes);
		return false;
	}

	/**
	 * Returns sessions with a status, most recently active first.
	 * @param status the status
	 * @param max the most sessions to return
	 * @return the sessions, possibly empty
	 */
	List<SessionStats> findByStatus(SessionStatus status, int max);

	/**
	 * Ends a live session.
	 * @param sessionId the session id
	 * @param status the final status (not {@link SessionStatus#ACTIVE})
	 * @param reason the end reason, e.g. {@code logout}
	 * @return the final stats, or {@code null} if the session is unknown or already ended
	 */
	@Nullable SessionStats endSession(String sessionId, SessionStatus status, String reason);

	/**
	 * Binds a user to a live session, enforcing
	 * {@link SessionLimits#maxSessionsPerUser()} atomically: simultaneous binds of one
	 * user never pass the limit.
	 * @param sessionId the session id
	 * @param userId the user id
	 * @param limits the limits (per-user maximum and policy)
	 * @return what happened, with the sessions ended to make room
	 */
	default BindResult bindUser(String sessionId, String userId, SessionLimits limits) {
		return bindUser(sessionId, userId, limits, SessionOrigin.NONE);
	}

	/**
	 * Binds a user to a live session as {@link #bindUser(String, String, SessionLimits)}
	 * does and, when bound, records the origin of the login request as the session's
	 * origin.
	 * @param sessionId the session id
	 * @param userId the user id
	 * @param limits the limits (per-user maximum and policy)
	 * @param origin the login request's origin; {@link SessionOrigin#NONE} keeps the
	 * recorded one
	 * @return what happened, with the sessions ended to make room
	 */
	BindResult bindUser(String sessionId, String userId, SessionLimits limits, SessionOrigin origin);

	/**
	 * Moves a session's state, history and index entries to a new id after the session id
	 * was rotated (session fixation protection).
	 * @param oldId the previous id
	 * @param newId the new id
	 * @return {@code true} if the ledger knew the old id
	 */
	boolean changeSessionId(String oldId, String newId);

	/**
	 * Ends sessions that are idle past their idle timeout or older than the absolute
	 * timeout, and forgets ended sessions past the history retention.
	 * @param limits the limits (absolute timeout)
	 * @return the sessions ended by this sweep
	 */
	List<SessionStats> sweep(SessionLimits limits);

	/**
	 * Whether a session may be used under a tenant: {@code true} when the ledger does not
	 * know the session (its first request will record the tenant) or when the session was
	 * created under that same tenant. Called before the session is loaded, so
	 * implementations over a remote store should answer from a local cache where they can
	 * (a session's tenant never changes).
	 * @param sessionId the session id
	 * @param tenant the tenant of the request, or {@code null}
	 * @return {@code false} if the session belongs to another tenant
	 */
	default boolean belongsToTenant(String sessionId, @Nullable String tenant) {
		SessionStats stats = find(sessionId);
		return stats == null || java.util.Objects.equals(stats.tenant(), tenant);
	}

	/**
	 * The number of live sessions.
	 * @return live sessions (all tenants)
	 */
	long activeSessions();

	/**
	 * Releases resources (connections, threads). The default does nothing.
	 */
	@Override
	default void close() {
	}

}
