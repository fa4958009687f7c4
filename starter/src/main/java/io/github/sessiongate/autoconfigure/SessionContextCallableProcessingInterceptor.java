package io.github.sessiongate.autoconfigure;

import java.util.concurrent.Callable;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;

/**
 * Carries the request's {@link SessionContext} (and so its MDC keys) into the thread that
 * runs a Spring MVC {@link Callable}, {@code WebAsyncTask} or
 * {@code StreamingResponseBody}, and takes it off that thread when the work is done — the
 * role Spring Security's {@code SecurityContextCallableProcessingInterceptor} plays for
 * the security context. It works with any {@code AsyncTaskExecutor}, decorated or not.
 *
 * <p>
 * The context is captured on the request thread when concurrent handling starts (so an
 * enriched copy set with {@link SessionContextHolder#setContext} travels too) and kept as
 * a request attribute; a single instance serves every request. The re-dispatch that
 * writes the result sees the context through the gate filter.
 *
 * @author SessionGate team
 */
final class SessionContextCallableProcessingInterceptor implements CallableProcessingInterceptor {

	private static final String CONTEXT = SessionContextCallableProcessingInterceptor.class.getName() + ".context";

	private static final String PREVIOUS = SessionContextCallableProcessingInterceptor.class.getName() + ".previous";

	@Override
	public <T> void beforeConcurrentHandling(NativeWebRequest request, Callable<T> task) {
		SessionContext context = SessionContextHolder.getContext();
		if (context != null) {
			request.setAttribute(CONTEXT, context, RequestAttributes.SCOPE_REQUEST);
		}
	}

	@Override
	public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
		if (request.getAttribute(CONTEXT, RequestAttributes.SCOPE_REQUEST) instanceof SessionContext context) {
			// an executor that already carries the context
			// (ContextPropagatingTaskDecorator,
			// a caller-runs executor) gets its own back afterwards
			SessionContext previous = SessionContextHolder.getContext();
			if (previous != null) {
				request.setAttribute(PREVIOUS, previous, RequestAttributes.SCOPE_REQUEST);
			}
			SessionContextHolder.setContext(context);
		}
	}

	@Override
	public <T> void postProcess(NativeWebRequest request, Callable<T> task, Object concurrentResult) {
		if (request.getAttribute(CONTEXT, RequestAttributes.SCOPE_REQUEST) == null) {
			return;
		}
		if (request.getAttribute(PREVIOUS, RequestAttributes.SCOPE_REQUEST) instanceof SessionContext previous) {
			request.removeAttribute(PREVIOUS, RequestAttributes.SCOPE_REQUEST);
			SessionContextHolder.setContext(previous);
		}
		else {
			SessionContextHolder.clearContext();
		}
	}

}
