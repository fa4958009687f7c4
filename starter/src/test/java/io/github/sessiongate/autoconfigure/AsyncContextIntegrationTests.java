package io.github.sessiongate.autoconfigure;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sessiongate.SessionIds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session context follows a request's work to other threads, in a real Boot app
 * (Tomcat on a random port, a real HTTP client logged in as {@code alice}): Spring MVC's
 * {@code Callable}, {@code WebAsyncTask}, {@code StreamingResponseBody} and
 * {@code DeferredResult}, and {@code @Async} methods when the application declares
 * Spring's {@code ContextPropagatingTaskDecorator}; and no context is left on a pooled
 * executor thread or a request thread afterwards. One executor thread and one request
 * thread, so the probes look at the threads that did the work.
 *
 * @author SessionGate team
 */
@TestPropertySource(properties = { "sessiongate.excluded-paths=/probe/**", "spring.task.execution.pool.core-size=1",
		"spring.task.execution.pool.max-size=1", "server.tomcat.threads.max=1", "server.tomcat.threads.min-spare=1",
		"spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
				+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
class AsyncContextIntegrationTests {

	abstract static class LoggedInAsAlice {

		@LocalServerPort
		int port;

		final TestBrowser browser = new TestBrowser();

		Map<String, String> onTheRequestThread;

		@BeforeEach
		void logIn() throws Exception {
			this.browser.logIn(base(), "alice");
			this.onTheRequestThread = seen("/async/sync");
			assertThat(this.onTheRequestThread).containsEntry("user", "alice")
				.containsEntry("session", SessionIds.shortForm(this.browser.sessionId()))
				.containsEntry("mdcSession", SessionIds.shortForm(this.browser.sessionId()))
				.containsEntry("mdcUser", "alice");
		}

		URI base() {
			return URI.create("http://localhost:" + this.port);
		}

		Map<String, String> seen(String path) throws Exception {
			HttpResponse<String> response = this.browser.get(base().resolve(path));
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			return parse(response.body());
		}

		/**
		 * The context of {@code alice}'s session on another thread.
		 */
		void assertAlicesContextOnAnotherThread(Map<String, String> seen) {
			assertThat(seen).containsEntry("user", "alice")
				.containsEntry("session", this.onTheRequestThread.get("session"))
				.containsEntry("mdcSession", this.onTheRequestThread.get("mdcSession"))
				.containsEntry("mdcUser", "alice");
			assertThat(seen.get("thread")).isNotEqualTo(this.onTheRequestThread.get("thread"));
		}

		void assertNothingLeftOnThePooledThreads() throws Exception {
			assertThat(seen("/probe/executor")).containsEntry("session", "null")
				.containsEntry("user", "null")
				.containsEntry("mdcSession", "null")
				.containsEntry("mdcUser", "null");
			assertThat(seen("/probe/request-thread")).containsEntry("session", "null")
				.containsEntry("mdcSession", "null")
				.containsEntry("mdcUser", "null");
		}

		static Map<String, String> parse(String seen) {
			Map<String, String> values = new LinkedHashMap<>();
			for (String pair : seen.split(";")) {
				int equals = pair.indexOf('=');
				values.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
			return values;
		}

	}

	/**
	 * The application declares nothing: Spring MVC's async work still sees the context.
	 */
	@Nested
	@SpringBootTest(classes = AsyncTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "test.decorate=false")
	class WithoutTaskDecorator extends LoggedInAsAlice {

		@ParameterizedTest
		@ValueSource(strings = { "/async/callable", "/async/web-async-task", "/async/streaming" })
		void asyncWorkSeesTheRequestsContextAndMdc(String path) throws Exception {
			assertAlicesContextOnAnotherThread(seen(path));
			assertNothingLeftOnThePooledThreads();
		}

		@Test
		void deferredResultIsWrittenWithTheRequestsContext() throws Exception {
			HttpResponse<String> response = this.browser.get(base().resolve("/async/deferred"));

			assertThat(parse(response.body())).containsEntry("thread", "plain-producer")
				.containsEntry("session", "null");
			assertThat(response.headers().firstValue("X-Written-With"))
				.hasValueSatisfying((written) -> assertThat(parse(written)).containsEntry("user", "alice")
					.containsEntry("session", this.onTheRequestThread.get("session"))
					.containsEntry("mdcUser", "alice"));
			assertNothingLeftOnThePooledThreads();
		}

		/**
		 * Without Spring's decorator nothing carries the context to {@code @Async}
		 * methods: the starter does not decorate the application's executor.
		 */
		@Test
		void asyncMethodSeesNoContext() throws Exception {
			Map<String, String> seen = seen("/async/service");

			assertThat(seen).containsEntry("session", "null").containsEntry("mdcSession", "null");
			assertThat(seen.get("thread")).isNotEqualTo(this.onTheRequestThread.get("thread"));
		}

	}

	/**
	 * The application declares Spring's {@code ContextPropagatingTaskDecorator}, as the
	 * guide says: {@code @Async} methods see the context too.
	 */
	@Nested
	@SpringBootTest(classes = AsyncTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "test.decorate=true")
	class WithContextPropagatingTaskDecorator extends LoggedInAsAlice {

		@ParameterizedTest
		@ValueSource(strings = { "/async/service", "/async/deferred-async", "/async/callable", "/async/web-async-task",
				"/async/streaming" })
		void asyncWorkSeesTheRequestsContextAndMdc(String path) throws Exception {
			assertAlicesContextOnAnotherThread(seen(path));
			assertNothingLeftOnThePooledThreads();
		}

	}

}
