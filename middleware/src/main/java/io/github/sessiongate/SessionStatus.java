package io.github.sessiongate;

/**
 * Lifecycle status of a tracked session.
 *
 * <p>
 * A session is {@link #ACTIVE} from its first tracked request until it ends. It ends
 * exactly once, as {@link #COMPLETED} (logged out, replaced or ended by an operator),
 * {@link #FAILED} (ended by a policy that judged it unhealthy) or {@link #EXPIRED} (idle
 * or absolute timeout). Ended sessions stay readable in the history for the configured
 * retention period.
 *
 * @author SessionGate team
 */
public enum SessionStatus {

	/** The session is live and admits requests. */
	ACTIVE,

	/** The session ended normally (logout, replacement, operator action). */
	COMPLETED,

	/** The session was ended because a policy judged it unhealthy. */
	FAILED,

	/** The session timed out (idle or absolute timeout). */
	EXPIRED;

	/**
	 * Whether this status is a final one.
	 * @return {@code true} for every status but {@link #ACTIVE}
	 */
	public boolean isEnded() {
		return this != ACTIVE;
	}

}
