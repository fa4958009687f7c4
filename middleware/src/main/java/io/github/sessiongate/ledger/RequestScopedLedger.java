package io.github.sessiongate.ledger;

import io.github.sessiongate.limit.SessionLimits;
import org.jspecify.annotations.Nullable;

/**
 * An optional capability of a ledger that also stores the sessions (the Redis ledger with
 * SessionGate's own Redis session repository): it admits a request in the same store
 * round trip that loads the request's session, and answers a request's repeated lookups
 * of its session from what it loaded. The gate checks for it with {@code instanceof};
 * other ledgers need nothing.
 *
 * <p>
 * The gate opens a request scope when a request enters its outermost filter (before
 * anything loads the session) and closes it when the request leaves; around the load of
 * the session it is about to admit, it opens an admission scope. Both are bound to the
 * request's thread.
 *
 * @author SessionGate team
 */
public interface RequestScopedLedger {

	/**
	 * Opens the scope of the request on this thread. Nested calls while a scope is open
	 * return a scope whose {@code close} does nothing.
	 * @return the scope, to close when the request leaves the outermost filter
	 */
	Scope openRequestScope();

	/**
	 * Makes the next load of a session on this thread also admit its request; the
	 * ledger's {@link SessionLedger#begin} then answers with that admission. Closing the
	 * scope releases an admission that {@code begin} did not take.
	 * @param tenant the request's tenant, {@code null} for none
	 * @param limits the limits to apply
	 * @return the scope, to close once the session was loaded (or not)
	 */
	Scope admitOnLoad(@Nullable String tenant, SessionLimits limits);

	/**
	 * A scope on the request's thread.
	 */
	@FunctionalInterface
	interface Scope extends AutoCloseable {

		/** A scope that holds nothing. */
		Scope NONE = () -> {
		};

		@Override
		void close();

	}

}
