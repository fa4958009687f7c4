package io.github.sessiongate;

/**
 * What the gate does with a request when the ledger's store (Redis) cannot be reached.
 *
 * @author SessionGate team
 */
public enum StoreFailurePolicy {

	/**
	 * Serve the request untracked and unlimited by per-session limits, count the failure
	 * in {@code sessiongate.store.errors} and log it (once per burst). Availability
	 * first.
	 */
	ALLOW,

	/** Answer {@code 503 Service Unavailable} with a problem body. Enforcement first. */
	REJECT

}
