package io.github.sessiongate.ledger;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link SessionLedger#bindUser}.
 *
 * @param outcome what happened
 * @param endedSessions sessions of the same user ended to make room (policy
 * {@code end-oldest}), possibly empty
 * @author SessionGate team
 */
public record BindResult(Outcome outcome, List<SessionStats> endedSessions) {

	public BindResult {
		Objects.requireNonNull(outcome, "outcome cannot be null");
		endedSessions = List.copyOf(endedSessions);
	}

	/**
	 * A result that ended no other session.
	 * @param outcome the outcome
	 * @return the result
	 */
	public static BindResult of(Outcome outcome) {
		return new BindResult(outcome, List.of());
	}

	/**
	 * What a bind did.
	 */
	public enum Outcome {

		/** The user is now bound to the session. */
		BOUND,

		/** The user was bound to the session already; nothing changed. */
		ALREADY_BOUND,

		/** The user is at the sessions-per-user limit and the policy is reject-new. */
		REJECTED,

		/** The session is unknown or has ended. */
		UNKNOWN_SESSION

	}

}
