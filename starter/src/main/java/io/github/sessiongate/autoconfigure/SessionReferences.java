package io.github.sessiongate.autoconfigure;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.ledger.SessionStats;
import org.jspecify.annotations.Nullable;

/**
 * Turns the short references the endpoint shows ({@link SessionIds#shortForm}) back into
 * sessions, so that an operator can act on a session without ever seeing its id.
 *
 * <p>
 * The ledger resolves a reference exactly, on any node, at any number of sessions
 * ({@link io.github.sessiongate.SessionGateAdmin#sessionByReference}). When the operator
 * names the session's user, the reference is looked for among that user's sessions
 * instead (which also finds a live session that a version before references were stored
 * indexed).
 *
 * @author SessionGate team
 */
final class SessionReferences {

	private static final Pattern REFERENCE = Pattern.compile("[0-9a-f]{12}");

	private final SessionGate gate;

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
	 * Resolves a reference to a session, live or from history.
	 * @param reference the reference
	 * @param userId the session's user when the operator names one: the session must be
	 * one of that user's
	 * @return the session, or {@code null} when the reference is malformed, unknown or
	 * ambiguous, or not a session of the named user
	 */
	@Nullable SessionStats resolve(String reference, @Nullable String userId) {
		if (!isWellFormed(reference)) {
			return null;
		}
		if (userId != null) {
			return unique(reference, this.gate.admin().sessionsOfUser(userId));
		}
		return this.gate.admin().sessionByReference(reference).orElse(null);
	}

	private static @Nullable SessionStats unique(String reference, List<SessionStats> candidates) {
		SessionStats match = null;
		for (SessionStats candidate : candidates) {
			if (reference.equals(SessionIds.shortForm(candidate.sessionId()))) {
				if (match != null && !match.sessionId().equals(candidate.sessionId())) {
					return null; // two sessions share a reference: act on neither
				}
				match = candidate;
			}
		}
		return match;
	}

}
