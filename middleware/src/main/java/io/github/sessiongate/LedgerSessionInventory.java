package io.github.sessiongate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.github.sessiongate.internal.SessionGateCore;
import io.github.sessiongate.ledger.SessionOrigin;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.store.StoreCircuitBreaker;
import io.github.sessiongate.store.StoreUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SessionInventory} over the gate's ledger: a user's sessions come from the
 * ledger's user index, and sessions end through the one routine that ends sessions
 * ({@link SessionGateCore#endSession}).
 */
final class LedgerSessionInventory implements SessionInventory {

	private static final Pattern REFERENCE = Pattern.compile("[0-9a-f]{12}");

	private final SessionGateCore core;

	LedgerSessionInventory(SessionGateCore core) {
		this.core = Objects.requireNonNull(core, "core cannot be null");
	}

	@Override
	public List<SessionInfo> sessionsOf(String userId, @Nullable String callerSessionId) {
		Objects.requireNonNull(userId, "userId cannot be null");
		List<SessionInfo> result = new ArrayList<>();
		for (SessionStats stats : liveSessionsOf(userId)) {
			SessionOrigin origin = stats.origin();
			result.add(new SessionInfo(SessionIds.shortForm(stats.sessionId()),
					stats.sessionId().equals(callerSessionId), stats.tenant(), origin.deviceId(), origin.clientIp(),
					origin.userAgent(), stats.createdAt(), stats.lastActivity(), stats.status(), stats.metadata()));
		}
		return result;
	}

	@Override
	public boolean endSession(String userId, String reference) {
		Objects.requireNonNull(userId, "userId cannot be null");
		if (reference == null || !REFERENCE.matcher(reference).matches()) {
			return false;
		}
		for (SessionStats stats : liveSessionsOf(userId)) {
			if (reference.equals(SessionIds.shortForm(stats.sessionId()))) {
				return end(stats);
			}
		}
		return false;
	}

	@Override
	public int endOtherSessions(String userId, String callerSessionId) {
		Objects.requireNonNull(userId, "userId cannot be null");
		Objects.requireNonNull(callerSessionId, "callerSessionId cannot be null");
		int ended = 0;
		for (SessionStats stats : liveSessionsOf(userId)) {
			if (!stats.sessionId().equals(callerSessionId) && end(stats)) {
				ended++;
			}
		}
		return ended;
	}

	private boolean end(SessionStats stats) {
		try {
			return this.core.endSession(stats.sessionId(), SessionStatus.COMPLETED, END_REASON) != null;
		}
		catch (RuntimeException ex) {
			throw storeUnavailable(StoreOperation.END_SESSION, ex);
		}
	}

	private List<SessionStats> liveSessionsOf(String userId) {
		List<SessionStats> found;
		try {
			found = this.core.ledger().findByUser(userId);
		}
		catch (RuntimeException ex) {
			throw storeUnavailable(StoreOperation.INVENTORY_READ, ex);
		}
		List<SessionStats> live = new ArrayList<>();
		for (SessionStats stats : found) {
			// the index may still name a session another user took over
			if (stats.status() == SessionStatus.ACTIVE && userId.equals(stats.userId())) {
				live.add(stats);
			}
		}
		live.sort(Comparator.comparing(SessionStats::lastActivity).reversed());
		return live;
	}

	/**
	 * Counts and logs a failed call to the ledger as the admin API does (once per burst
	 * at {@code WARN}, then in {@code sessiongate.store.errors}); a failure that is not
	 * an outage of the store is rethrown as it is.
	 */
	private StoreUnavailableException storeUnavailable(StoreOperation operation, RuntimeException ex) {
		if (!StoreCircuitBreaker.isOutage(ex)) {
			throw ex;
		}
		this.core.storeFailed(operation, ex);
		return (ex instanceof StoreUnavailableException unavailable) ? unavailable
				: new StoreUnavailableException("The session ledger's store is unavailable", ex);
	}

}
