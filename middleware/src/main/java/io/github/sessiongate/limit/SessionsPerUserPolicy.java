package io.github.sessiongate.limit;

/**
 * What happens when a user who already has the maximum number of live sessions binds
 * another.
 *
 * @author SessionGate team
 */
public enum SessionsPerUserPolicy {

	/** The new bind is refused; the existing sessions stay. */
	REJECT_NEW,

	/**
	 * The least recently active session of the user is ended (COMPLETED, reason
	 * {@code session-limit}) to make room.
	 */
	END_OLDEST

}
