package io.github.sessiongate;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.sessiongate.internal.SessionGateCore;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.store.StoreCircuitBreaker;
import io.github.sessiongate.store.StoreUnavailableException;
import io.github.sessiongate.web.SessionIdValidator;

/**
 * The operator's view of a gate: look up a session, list sessions by user or status, end
 * a session, read a summary. Reads come from the ledger (so with the Redis ledger they
 * cover every node); ending a session also deletes it from the Spring Session repository
 * and publishes a {@link io.github.sessiongate.events.SessionEndedEvent}. <pre>{@code
 * gate.admin().sessionsOfUser("alice").forEach((s) -> gate.admin().endSession(s.sessionId(),
 *         SessionStatus.COMPLETED, "admin-logout"));
 * }</pre>
 *
 * <p>
 * While the ledger's store is down (Redis unreachable, or the circuit breaker open),
 * every method that reads or writes the ledger throws {@link StoreUnavailableException}
 * at once: it is counted in {@code sessiongate.store.errors} (operation
 * {@code admin-read}, or {@code end-session} for {@link #endSession}) and logged once per
 * burst at {@code WARN}. The node-local counts ({@link #rejections},
 * {@link #activeRequests}, ...) always answer. The Actuator endpoint answers {@code 503}
 * then.
 *
 * @author SessionGate team
 */
public final class SessionGateAdmin {

	/** The most sessions a status listing returns. */
	public static final int MAX_LISTED = 1000;

	private static final Pattern REFERENCE = Pattern.compile("[0-9a-f]{12}");

	private static final Pattern REASON = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

	private final SessionGateCore core;

	private final SessionIdValidator sessionIdValidator;

	SessionGateAdmin(SessionGateCore core, SessionIdValidator sessionIdValidator) {
		this.core = core;
		this.sessionIdValidator = sessionIdValidator;
	}

	/**
	 * Finds a session, live or from history. A malformed id finds nothing and touches no
	 * store.
	 * @param sessionId the session id
	 * @return the stats, if known
	 * @throws StoreUnavailableException while the ledger's store is down
	 */
	public Optional<SessionStats> session(String sessionId) {
		if (!this.sessionIdValidator.isValid(sessionId)) {
			return Optional.empty();
		}
		return Optional.ofNullable(read(() -> this.core.ledger().find(sessionId)));
	}

	/**
	 * Finds a session, live or from history, by its reference
	 * ({@link SessionIds#shortForm}: what the endpoint, logs and events show instead of
	 * the id). Exact at any number of sessions with the built-in ledgers, on any node. A
	 * malformed reference finds nothing and touches no store.
	 * @param reference 12 lowercase hex digits
	 * @return the stats, if known
	 * @throws StoreUnavailableException while the ledger's store is down
	 */
	public Optional<SessionStats> sessionByReference(String reference) {
		if (reference == null || !REFERENCE.matcher(reference).matches()) {
			return Optional.empty();
		}
		return Optional.ofNullable(read(() -> this.core.ledger().findByReference(reference)));
	}

	/**
	 * Lists a user's sessions, live and from history, most recently active first.
	 * @param userId the user id
	 * @return the sessions
	 * @throws StoreUnavailableException while the ledger's store is down
	 */
	public List<SessionStats> sessionsOfUser(String userId) {
		Objects.requireNonNull(userId, "userId cannot be null");
		if (userId.isEmpty() || userId.length() > 256) {
			return List.of();
		}
		return read(() -> this.core.ledger().findByUser(userId));
	}

	/**
	 * Lists sessions with a status, most recently active first.
	 * @param status the status
	 * @param max the most to return (capped at {@link #MAX_LISTED})
	 * @return the sessions
	 * @throws StoreUnavailableException while the ledger's store is down
	 */
	public List<SessionStats> sessionsWithStatus(SessionStatus status, int max) {
		Objects.requireNonNull(status, "status cannot be null");
		if (max < 1) {
			throw new IllegalArgumentException("max must be at least 1, was " + max);
		}
		return read(() -> this.core.ledger().findByStatus(status, Math.min(max, MAX_LISTED)));
	}

	/**
	 * Ends a live session: records the status and reason, deletes the session from the
	 * session repository and publishes the end event. Requests in progress finish; the
	 * next request of the session finds no session.
	 * @param sessionId the session id
	 * @param status the final status ({@code COMPLETED}, {@code FAILED} or
	 * {@code EXPIRED})
	 * @param reason a short reason: lowercase letters, digits, {@code . _ -}, at most 64
	 * @return the final stats, or empty if the session is unknown or already ended
	 * @throws IllegalArgumentException for {@code ACTIVE} or a malformed reason
	 * @throws StoreUnavailableException while the ledger's store is down
	 */
	public Optional<SessionStats> endSession(String sessionId, SessionStatus status, String reason) {
		Objects.requireNonNull(status, "status cannot be null");
		Objects.requireNonNull(reason, "reason cannot be null");
		if (!status.isEnded()) {
			throw new IllegalArgumentException("a session cannot be ended with status " + status);
		}
		if (!REASON.matcher(reason).matches()) {
			throw new IllegalArgumentException(
					"reason must be 1 to 64 of a-z 0-9 . _ - starting with a letter or digit, was '" + reason + "'");
		}
		if (!this.sessionIdValidator.isValid(sessionId)) {
			return Optional.empty();
		}
		try {
			return Optional.ofNullable(this.core.endSession(sessionId, status, reason));
		}
		catch (RuntimeException ex) {
			throw storeUnavailable(StoreOperation.END_SESSION, ex);
		}
	}

	/**
	 * Requests this node refused by a limit since it started (node-local).
	 * @param limit the limit
	 * @return the count
	 */
	public long rejections(Limit limit) {
		return this.core.rejections(limit);
	}

	/**
	 * Sessions this node started tracking since it started (node-local).
	 * @return the count
	 */
	public long sessionsStarted() {
		return this.core.sessionsStarted();
	}

	/**
	 * Session ends this node observed and published since it started (node-local).
	 * @param status the final status
	 * @return the count
	 */
	public long sessionsEnded(SessionStatus status) {
		return this.core.sessionsEnded(status);
	}

	/**
	 * Failed store operations on this node since it started, by operation (node-local).
	 * @return the {@linkplain StoreOperation#tag() operation tag} to count, for the
	 * operations that failed at least once, sorted by tag
	 */
	public Map<String, Long> storeErrors() {
		Map<String, Long> errors = new TreeMap<>();
		for (StoreOperation operation : StoreOperation.values()) {
			long count = this.core.storeErrors(operation);
			if (count > 0) {
				errors.put(operation.tag(), count);
			}
		}
		return errors;
	}

	/**
	 * Failed calls of one store operation on this node since it started (node-local).
	 * @param operation the operation
	 * @return the count
	 */
	public long storeErrors(StoreOperation operation) {
		return this.core.storeErrors(Objects.requireNonNull(operation, "operation cannot be null"));
	}

	/**
	 * Requests in progress on this node (node-local).
	 * @return the count
	 */
	public int activeRequests() {
		return this.core.activeRequests();
	}

	/**
	 * Streams open on this node (node-local): server-sent events, WebSockets, long polls.
	 * @return the count
	 */
	public int activeStreams() {
		return this.core.activeStreams();
	}

	/**
	 * Live sessions in the ledger (cluster-wide with a shared store).
	 * @return the count
	 * @throws StoreUnavailableException while the ledger's store is down
	 */
	public long activeSessions() {
		return read(() -> this.core.ledger().activeSessions());
	}

	/**
	 * A summary of the gate's state. Everything but {@code activeSessions} is node-local;
	 * the meters read the same counts.
	 * @return the summary
	 * @throws StoreUnavailableException while the ledger's store is down
	 */
	public Summary summary() {
		Map<Limit, Long> rejections = new EnumMap<>(Limit.class);
		for (Limit limit : Limit.values()) {
			rejections.put(limit, this.core.rejections(limit));
		}
		return new Summary(activeSessions(), activeRequests(), rejections, this.core.tenantMismatches());
	}

	private <T> T read(Supplier<T> ledgerRead) {
		try {
			return ledgerRead.get();
		}
		catch (RuntimeException ex) {
			throw storeUnavailable(StoreOperation.ADMIN_READ, ex);
		}
	}

	/**
	 * Counts and logs a failed call to the ledger as the gate does for requests (once per
	 * burst at {@code WARN}, then in {@code sessiongate.store.errors}); a failure that is
	 * not an outage of the store is rethrown as it is.
	 */
	private StoreUnavailableException storeUnavailable(StoreOperation operation, RuntimeException ex) {
		if (!StoreCircuitBreaker.isOutage(ex)) {
			throw ex;
		}
		this.core.storeFailed(operation, ex);
		return (ex instanceof StoreUnavailableException unavailable) ? unavailable
				: new StoreUnavailableException("The session ledger's store is unavailable", ex);
	}

	/**
	 * The gate at a glance.
	 *
	 * @param activeSessions live sessions (cluster-wide: from the ledger, all nodes with
	 * a shared store)
	 * @param activeRequests requests in progress on this node (node-local)
	 * @param rejectionsByLimit rejections on this node since start, by limit (node-local)
	 * @param tenantMismatches requests on this node that presented another tenant's
	 * session
	 */
	public record Summary(long activeSessions, int activeRequests, Map<Limit, Long> rejectionsByLimit,
			long tenantMismatches) {

		public Summary {
			rejectionsByLimit = Map.copyOf(rejectionsByLimit);
		}

	}

}
