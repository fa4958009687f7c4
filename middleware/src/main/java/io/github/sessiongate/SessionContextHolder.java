package io.github.sessiongate;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the current request's {@link SessionContext} on the request thread, the way
 * Spring Security's {@code SecurityContextHolder} keeps the security context.
 *
 * <p>
 * The gate filter sets the context before it calls the application and clears it when the
 * application returns, so code anywhere on the request thread can read it: <pre>{@code
 * SessionContext context = SessionContextHolder.getContext();
 * }</pre> Work handed to other threads does not see it; pass the (immutable) context
 * along instead. The same context is also the request attribute
 * {@link #REQUEST_ATTRIBUTE}, which asynchronous handlers can read from the request.
 *
 * @author SessionGate team
 */
public final class SessionContextHolder {

	/** Name of the request attribute that holds the request's {@link SessionContext}. */
	public static final String REQUEST_ATTRIBUTE = SessionContext.class.getName();

	private static final ThreadLocal<SessionContext> CONTEXT = new ThreadLocal<>();

	private SessionContextHolder() {
	}

	/**
	 * Returns the context of the request on this thread.
	 * @return the context, or {@code null} outside a gated request
	 */
	public static @Nullable SessionContext getContext() {
		return CONTEXT.get();
	}

	/**
	 * Returns the context of the request on this thread, failing when there is none.
	 * @return the context
	 * @throws IllegalStateException outside a gated request
	 */
	public static SessionContext requireContext() {
		SessionContext context = CONTEXT.get();
		if (context == null) {
			throw new IllegalStateException("No SessionContext on this thread: is the SessionGate filter registered "
					+ "for this request and is the code running on the request thread?");
		}
		return context;
	}

	/**
	 * Sets the context for this thread. Called by the gate filter; applications may use
	 * it to replace the context with an enriched copy (see
	 * {@link SessionContext#withMetadata}).
	 * @param context the context, not {@code null}
	 */
	public static void setContext(SessionContext context) {
		if (context == null) {
			throw new IllegalArgumentException("context cannot be null; use clearContext()");
		}
		CONTEXT.set(context);
	}

	/**
	 * Removes the context from this thread.
	 */
	public static void clearContext() {
		CONTEXT.remove();
	}

}
