package io.github.sessiongate;

/**
 * The calls to the session store whose failures the gate counts: the values of the
 * {@code operation} tag of {@code sessiongate.store.errors} (every one is registered, at
 * {@code 0}, when the meters are bound) and of
 * {@link io.github.sessiongate.events.StoreFailureEvent#operation()}.
 *
 * @author SessionGate team
 */
public enum StoreOperation {

	/** The ledger's start of a request (admission). */
	BEGIN("begin"),

	/** The ledger's end of a request. */
	END("end"),

	/** Binding a user to a session (login). */
	BIND("bind"),

	/** Moving a session's record to its new id (session fixation protection). */
	CHANGE_SESSION_ID("change-session-id"),

	/** Ending a session (operator, policy, logout). */
	END_SESSION("end-session"),

	/** Failing a session under the error-rate policy. */
	ERROR_RATE("error-rate"),

	/** Deleting an ended session from the session repository. */
	DELETE("delete"),

	/** The background sweep of expired state. */
	SWEEP("sweep"),

	/** Checking that a presented session id belongs to the request's tenant. */
	TENANT_CHECK("tenant-check"),

	/** The admin API's and endpoint's reads (summary, listings, look-ups). */
	ADMIN_READ("admin-read"),

	/** Recording the application metadata a session keeps. */
	RECORD_METADATA("metadata"),

	/** A user's reads of their own sessions through {@link SessionInventory}. */
	INVENTORY_READ("inventory-read"),

	/** Spring Session's load of a request's session, through a guarded repository. */
	SESSION_LOAD("session-load"),

	/** Spring Session's save of a session, through a guarded repository. */
	SESSION_SAVE("session-save"),

	/** Spring Session's delete of a session, through a guarded repository. */
	SESSION_DELETE("session-delete"),

	/** Spring Session's look-up of a user's sessions, through a guarded repository. */
	SESSION_FIND_BY_INDEX("session-find-by-index"),

	/** Renewing an open stream (its lease, its session's last access). */
	RENEW_STREAM("renew-stream");

	private final String tag;

	StoreOperation(String tag) {
		this.tag = tag;
	}

	/**
	 * The value of the {@code operation} tag.
	 * @return the tag value, e.g. {@code session-load}
	 */
	public String tag() {
		return this.tag;
	}

}
