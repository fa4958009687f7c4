package io.github.sessiongate.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionGateAdmin;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.events.SessionGateEvent;
import io.github.sessiongate.events.SessionGateListener;
import io.github.sessiongate.events.SessionStartedEvent;
import io.github.sessiongate.events.UserBoundEvent;
import io.github.sessiongate.ledger.SessionStats;
import org.jspecify.annotations.Nullable;

/**
 * Turns the short references the endpoint shows ({@link SessionIds#shortForm}) back into
 * sessions, so that an operator can act on a session without ever seeing its id.
 *
 * <p>
 * A reference is a one-way digest: it is resolved by comparing it with the references of
 * sessions the ledger lists. In order: the sessions of a user when the operator names one
 * (exact on any number of sessions), the sessions this node recently listed or saw start,
 * then the {@value SessionGateAdmin#MAX_LISTED} most recently active live sessions of the
 * shared ledger and, for reads, the 100 most recently ended sessions of each final
 * status. Every match is read again from the ledger before it is returned.
 *
 * @author SessionGate team
 */
final class SessionReferences implements SessionGateListener {

	private static final Pattern REFERENCE = Pattern.compile("[0-9a-f]{12}");

	private static final int REMEMBERED = 10_000;

	// each candidate costs a ledger read (a round trip with Redis): ended sessions are
	// searched among the most recent ones only
	private static final int ENDED_SEARCHED = 100;

	private final SessionGate gate;

	// reference -> session id, least recently used first
	private final Map<String, String> remembered = new LinkedHashMap<>(64, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
			return size() > REMEMBERED;
		}

	};

	SessionReferences(SessionGate gate) {
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
	}

	/**
	 * Whether a string has the shape of a reference (12 lowercase hex digits).
	 * @param reference the candidate
	 * @return {@code true} if it may be a reference
	 */
	static boolean isWellFormed(@Nullable String reference) {
		return reference != null && REFERENCE.matcher(reference).matches();
	}

	/**
	 * The reference of a session, remembered so that this node resolves it cheaply.
	 * @param stats the session
	 * @return its reference
	 */
	String referenceOf(SessionStats stats) {
		return remember(stats.sessionId());
	}

	/**
	 * Resolves a reference to a session, live or from history.
	 * @param reference the reference
	 * @param userId the session's user when the operator knows it, narrowing the search
	 * to that user's sessions
	 * @param liveOnly whether only live sessions are of interest
	 * @return the session, or {@code null} when the reference is malformed, unknown or
	 * ambiguous
	 */
	@Nullable SessionStats resolve(String reference, @Nullable String userId, boolean liveOnly) {
		if (!isWellFormed(reference)) {
			return null;
		}
		if (userId != null) {
			return unique(reference, this.gate.admin().sessionsOfUser(userId));
		}
		String known;
		synchronized (this.remembered) {
			known = this.remembered.get(reference);
		}
		if (known != null) {
			SessionStats stats = this.gate.admin().session(known).orElse(null);
			if (stats != null) {
				return stats;
			}
		}
		List<SessionStats> candidates = new ArrayList<>(
				this.gate.admin().sessionsWithStatus(SessionStatus.ACTIVE, SessionGateAdmin.MAX_LISTED));
		if (!liveOnly) {
			for (SessionStatus status : SessionStatus.values()) {
				if (status.isEnded()) {
					candidates.addAll(this.gate.admin().sessionsWithStatus(status, ENDED_SEARCHED));
				}
			}
		}
		return unique(reference, candidates);
	}

	private @Nullable SessionStats unique(String reference, List<SessionStats> candidates) {
		SessionStats match = null;
		for (SessionStats candidate : candidates) {
			if (reference.equals(SessionIds.shortForm(candidate.sessionId()))) {
				if (match != null && !match.sessionId().equals(candidate.sessionId())) {
					return null; // two sessions share a reference: act on neither
				}
				match = candidate;
			}
		}
		if (match != null) {
			remember(match.sessionId());
		}
		return match;
	}

	private String remember(String sessionId) {
		String reference = SessionIds.shortForm(sessionId);
		synchronized (this.remembered) {
			this.remembered.put(reference, sessionId);
		}
		return reference;
	}

	@Override
	public void onEvent(SessionGateEvent event) {
		if (event instanceof SessionStartedEvent started) {
			remember(started.sessionId());
		}
		else if (event instanceof UserBoundEvent bound) {
			remember(bound.sessionId());
		}
	}

}
