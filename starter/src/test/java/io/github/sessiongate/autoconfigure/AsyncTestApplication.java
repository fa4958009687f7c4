package io.github.sessiongate.autoconfigure;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionIds;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.MethodParameter;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A Boot app whose controllers hand their work to other threads, each answering what the
 * thread that did the work saw: the session reference, the user, the MDC keys and the
 * thread. {@code test.decorate=true} declares Spring's
 * {@link ContextPropagatingTaskDecorator}, as the guide tells applications to.
 *
 * @author SessionGate team
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
@Import({ AsyncTestApplication.AsyncController.class, AsyncTestApplication.AsyncService.class,
		AsyncTestApplication.WrittenWithAdvice.class })
class AsyncTestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.formLogin((login) -> login.defaultSuccessUrl("/context", true))
			.build();
	}

	@Bean
	UserDetailsService userDetailsService() {
		return TestBrowser.users();
	}

	@Bean
	@ConditionalOnBooleanProperty("test.decorate")
	ContextPropagatingTaskDecorator contextPropagatingTaskDecorator() {
		return new ContextPropagatingTaskDecorator();
	}

	/**
	 * What the current thread holds, as {@code key=value;...}.
	 */
	static String seen() {
		SessionContext context = SessionContextHolder.getContext();
		return "session=" + ((context != null) ? SessionIds.shortForm(context.sessionId()) : null) + ";user="
				+ ((context != null) ? context.userId() : null) + ";mdcSession="
				+ MDC.get(SessionContextHolder.MDC_SESSION) + ";mdcUser=" + MDC.get(SessionContextHolder.MDC_USER)
				+ ";thread=" + Thread.currentThread().getName();
	}

	@RestController
	static class AsyncController {

		private final AsyncService service;

		private final ThreadPoolTaskExecutor applicationTaskExecutor;

		AsyncController(AsyncService service,
				@Qualifier("applicationTaskExecutor") ThreadPoolTaskExecutor applicationTaskExecutor) {
			this.service = service;
			this.applicationTaskExecutor = applicationTaskExecutor;
		}

		@GetMapping("/context")
		Map<String, Object> context() {
			SessionContext context = SessionContextHolder.requireContext();
			return Map.of("userId", String.valueOf(context.userId()));
		}

		@GetMapping("/async/sync")
		String sync() {
			return seen();
		}

		@GetMapping("/async/callable")
		Callable<String> callable() {
			return AsyncTestApplication::seen;
		}

		@GetMapping("/async/web-async-task")
		WebAsyncTask<String> webAsyncTask() {
			return new WebAsyncTask<>(10_000, AsyncTestApplication::seen);
		}

		@GetMapping("/async/streaming")
		StreamingResponseBody streaming() {
			return (out) -> out.write(seen().getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}

		/**
		 * A result set by a thread that knows nothing of the request.
		 */
		@GetMapping("/async/deferred")
		DeferredResult<String> deferred() {
			DeferredResult<String> result = new DeferredResult<>(10_000L);
			new Thread(() -> result.setResult(seen()), "plain-producer").start();
			return result;
		}

		/**
		 * A result set by an {@code @Async} method.
		 */
		@GetMapping("/async/deferred-async")
		DeferredResult<String> deferredAsync() {
			DeferredResult<String> result = new DeferredResult<>(10_000L);
			this.service.seen().thenAccept(result::setResult);
			return result;
		}

		@GetMapping("/async/service")
		String service() {
			return this.service.seen().join();
		}

		/**
		 * What a thread of the application's executor holds between tasks: a plain task,
		 * past the executor's decorator.
		 */
		@GetMapping("/probe/executor")
		String executorThread() throws Exception {
			ThreadPoolExecutor pool = this.applicationTaskExecutor.getThreadPoolExecutor();
			CompletableFuture<String> seen = new CompletableFuture<>();
			pool.execute(() -> seen.complete(seen()));
			return seen.get();
		}

		/**
		 * What a request thread holds on a path the gate does not serve.
		 */
		@GetMapping("/probe/request-thread")
		String requestThread() {
			return seen();
		}

	}

	static class AsyncService {

		@Async
		public CompletableFuture<String> seen() {
			return CompletableFuture.completedFuture(AsyncTestApplication.seen());
		}

	}

	/**
	 * Adds what the thread that writes the body holds (after async work: the
	 * re-dispatch).
	 */
	@ControllerAdvice
	static class WrittenWithAdvice implements ResponseBodyAdvice<Object> {

		@Override
		public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
			return true;
		}

		@Override
		public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
				Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
				ServerHttpResponse response) {
			response.getHeaders().set("X-Written-With", seen());
			return body;
		}

	}

}
