package io.github.sessiongate;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer's context-propagation library carry the {@link SessionContext} (and the
 * MDC keys that describe it) to the threads that do a request's work.
 *
 * <p>
 * It is registered through {@link java.util.ServiceLoader} (the file
 * {@code META-INF/services/io.micrometer.context.ThreadLocalAccessor}), so everything
 * that captures a {@code ContextSnapshot} carries the context with no set-up: executors
 * decorated with Spring's {@code ContextPropagatingTaskDecorator} (Spring Boot applies a
 * {@code TaskDecorator} bean to its {@code applicationTaskExecutor}, which runs
 * {@code @Async} methods and Spring MVC's async work), Reactor with automatic context
 * propagation, Micrometer Observation. <pre>{@code
 * &#64;Bean
 * ContextPropagatingTaskDecorator contextPropagatingTaskDecorator() {
 *     return new ContextPropagatingTaskDecorator();
 * }
 * }</pre>
 *
 * <p>
 * The context is immutable, so the task and the thread that handed it over share one
 * safely: a task that replaces the context ({@link SessionContextHolder#setContext})
 * changes its own thread only. After the task, context-propagation restores what the
 * worker thread held before (normally nothing), so no context stays on a pooled thread.
 * The library is an optional dependency: without it this class is never loaded.
 *
 * @author SessionGate team
 */
public final class SessionContextThreadLocalAccessor implements ThreadLocalAccessor<SessionContext> {

	/** The key the context is captured under: {@code SessionContext}'s class name. */
	public static final String KEY = SessionContext.class.getName();

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable SessionContext getValue() {
		return SessionContextHolder.getContext();
	}

	@Override
	public void setValue(SessionContext value) {
		SessionContextHolder.setContext(value);
	}

	@Override
	public void setValue() {
		SessionContextHolder.clearContext();
	}

}
