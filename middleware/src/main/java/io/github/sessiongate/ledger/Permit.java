package io.github.sessiongate.ledger;

/**
 * Proof that a request was admitted. Handed back to {@link SessionLedger#end} exactly
 * once. Implementations are ledger-specific (an in-memory record, a Redis lease id).
 *
 * @author SessionGate team
 */
public interface Permit {

	/**
	 * The session the permit belongs to (its current id, after any rotation).
	 * @return the session id
	 */
	String sessionId();

}
