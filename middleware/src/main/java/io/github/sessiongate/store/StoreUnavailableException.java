package io.github.sessiongate.store;

import org.jspecify.annotations.Nullable;

/**
 * The session store cannot be used now: it failed, or the {@link StoreCircuitBreaker} is
 * open because it failed moments ago. Under the store-failure policy {@code reject} it
 * travels out of the request, and the gate's outer filter answers {@code 503} with a
 * problem body instead of letting the container answer {@code 500}.
 *
 * @author SessionGate team
 */
public class StoreUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final boolean attempted;

	/**
	 * Creates the exception.
	 * @param message what could not be done
	 * @param cause the store's own failure
	 */
	public StoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
		this.attempted = true;
	}

	/**
	 * Creates the exception for a call the breaker refused without trying.
	 * @param message what could not be done
	 */
	public StoreUnavailableException(String message) {
		super(message);
		this.attempted = false;
	}

	/**
	 * Whether the store was called at all: {@code false} when the breaker refused the
	 * call without trying, so the call had no effect on the store.
	 * @return {@code true} if the call reached (or may have reached) the store
	 */
	public boolean attempted() {
		return this.attempted;
	}

	/**
	 * Finds this exception among a failure and its causes (a servlet container or a
	 * framework may have wrapped it).
	 * @param failure a failure
	 * @return the exception, or {@code null} when the failure is not about the store
	 */
	public static @Nullable StoreUnavailableException find(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof StoreUnavailableException unavailable) {
				return unavailable;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

}
