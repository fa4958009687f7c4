package io.github.sessiongate;

/**
 * When the gate creates a session for a request that arrives without one.
 *
 * @author SessionGate team
 */
public enum CreationPolicy {

	/**
	 * The gate never creates a session; it tracks sessions that exist when a request
	 * arrives and sessions the application creates while handling a request (from that
	 * request on).
	 */
	IF_REQUIRED,

	/**
	 * The gate creates a session for every tracked request that has none, so that every
	 * client is tracked and limited. Pair it with a total-sessions limit.
	 */
	ALWAYS,

	/**
	 * The gate never creates a session and tracks only sessions that already exist when a
	 * request arrives.
	 */
	NEVER

}
