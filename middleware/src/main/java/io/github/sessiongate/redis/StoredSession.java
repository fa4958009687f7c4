package io.github.sessiongate.redis;

/**
 * A session of {@link SessionGateRedisSessionRepository} as the end of its request sees
 * it: the ledger saves its changes in the script that ends the request, without calling
 * the repository.
 *
 * @author SessionGate team
 */
interface StoredSession {

	/**
	 * The session id.
	 * @return the id
	 */
	String getId();

	/**
	 * Whether the end of the request may save the session in the same script: not
	 * deleted, its id unchanged, and something to write.
	 * @return whether to save at the end
	 */
	boolean savableAtRequestEnd();

	/**
	 * Whether the session was deleted while its request held it.
	 * @return whether deleted
	 */
	boolean isDeleted();

	/**
	 * Marks the session deleted (its data was deleted by id).
	 */
	void markDeleted();

	/**
	 * The changes to write.
	 * @return the changes
	 */
	SessionChanges changes();

	/**
	 * The changes reached Redis.
	 */
	void saved();

}
