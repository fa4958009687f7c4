package io.github.sessiongate;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Keeps the current request's {@link SessionContext} on the request thread, the way
 * Spring Security's {@code SecurityContextHolder} keeps the security context.
 *
 * <p>
 * The gate filter sets the context before it calls the application and clears it when the
 * application returns, so code anywhere on the request thread can read it: <pre>{@code
 * SessionContext context = SessionContextHolder.getContext();
 * }</pre> The holder also keeps the logging MDC in step: setting a context puts
 * {@link #MDC_SESSION} and {@link #MDC_USER}, clearing it removes them.
 *
 * <p>
 * The context follows work handed to other threads where something carries it there:
 * Spring MVC's asynchronous processing (the Spring Boot starter registers the
 * interceptor), executors decorated with Spring's {@code ContextPropagatingTaskDecorator}
 * and anything else that uses Micrometer's context-propagation library, through
 * {@link SessionContextThreadLocalAccessor}. Elsewhere, pass the (immutable) context
 * along. The same context is also the request attribute {@link #REQUEST_ATTRIBUTE}.
 *
 * @author SessionGate team
 */
public final class SessionContextHolder {

	/** Name of the request attribute that holds the request's {@link SessionContext}. */
	public static final String REQUEST_ATTRIBUTE = SessionContext.class.getName();

	/**
	 * MDC key holding the short, non-reversible form of the session id
	 * ({@link SessionIds#shortForm}).
	 */
	public static final String MDC_SESSION = "sessiongate.session";

	/** MDC key holding the user id. */
	public static final String MDC_USER = "sessiongate.user";

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
	 * Sets the context for this thread, and the MDC keys that describe it. Called by the
	 * gate filter; applications may use it to replace the context with an enriched copy
	 * (see {@link SessionContext#withMetadata}).
	 * @param context the context, not {@code null}
	 */
	public static void setContext(SessionContext context) {
		if (context == null) {
			throw new IllegalArgumentException("context cannot be null; use clearContext()");
		}
		CONTEXT.set(context);
		putOrRemove(MDC_SESSION, (context.sessionId() != null) ? SessionIds.shortForm(context.sessionId()) : null);
		putOrRemove(MDC_USER, context.userId());
	}

	/**
	 * Removes the context and its MDC keys from this thread.
	 */
	public static void clearContext() {
		CONTEXT.remove();
		MDC.remove(MDC_SESSION);
		MDC.remove(MDC_USER);
	}

	private static void putOrRemove(String key, @Nullable String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

}
