package io.github.sessiongate.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.TestClient;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rejections answer by content negotiation, seen from a real HTTP client in front of a
 * real Jetty: problem+json for API clients, the container's error page for browsers.
 */
class RejectionContentNegotiationIntegrationTests {

	private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

	private final AtomicInteger applicationCalls = new AtomicInteger();

	private SessionGate gate;

	private JettyTestServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.close();
		}
		if (this.gate != null) {
			this.gate.close();
		}
	}

	/**
	 * One request per hour and session: the second request of a client is refused with
	 * {@code 429} and a {@code Retry-After} of about an hour.
	 */
	private void start(SessionGate.Builder builder, boolean errorPages) {
		this.gate = builder.creationPolicy(CreationPolicy.ALWAYS)
			.limits(SessionLimits.builder().rate(new RateLimit(1, Duration.ofHours(1))).build())
			.sweepInterval(Duration.ZERO)
			.build();
		this.server = JettyTestServer.start(this.gate.filter(), (context) -> register(context, errorPages));
	}

	private void register(ServletContextHandler context, boolean errorPages) {
		JettyTestServer.servlet(context, "/page", new HttpServlet() {
			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
				RejectionContentNegotiationIntegrationTests.this.applicationCalls.incrementAndGet();
				response.setContentType("text/plain");
				response.getWriter().print("page");
			}
		});
		if (errorPages) {
			JettyTestServer.servlet(context, "/errors/busy", new HttpServlet() {
				@Override
				protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
					response.setContentType("text/html;charset=UTF-8");
					response.getWriter()
						.print("<html><body><h1>Slow down</h1><p>status "
								+ request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) + "</p></body></html>");
				}
			});
			ErrorPageErrorHandler errorHandler = new ErrorPageErrorHandler();
			errorHandler.addErrorPage(429, "/errors/busy");
			context.setErrorHandler(errorHandler);
		}
	}

	private HttpResponse<String> secondRequest(Map<String, String> headers) {
		TestClient client = new TestClient();
		int callsBefore = this.applicationCalls.get();
		HttpResponse<String> first = client.get(this.server.uri("/page"), headers);
		assertThat(first.statusCode()).isEqualTo(200);
		HttpResponse<String> second = client.get(this.server.uri("/page"), headers);
		assertThat(this.applicationCalls).hasValue(callsBefore + 1);
		return second;
	}

	@Test
	void rejectWhenApiClientAcceptsJsonThenProblemJson() {
		start(SessionGate.builder(repository()), false);

		HttpResponse<String> rejected = secondRequest(Map.of("Accept", "application/json"));

		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Long.parseLong(seconds)).isBetween(3000L, 3600L));
		assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json;charset=utf-8");
		assertThat(rejected.body()).startsWith("{\"type\":\"urn:sessiongate:problem:rate\"")
			.contains("\"status\":429", "\"limit\":\"rate\"");
	}

	@Test
	void rejectWhenClientSendsNoAcceptOrWildcardThenProblemJson() {
		start(SessionGate.builder(repository()), false);

		HttpResponse<String> noAccept = secondRequest(Map.of());
		HttpResponse<String> wildcard = secondRequest(Map.of("Accept", "*/*"));

		assertThat(List.of(noAccept, wildcard)).allSatisfy((rejected) -> {
			assertThat(rejected.statusCode()).isEqualTo(429);
			assertThat(rejected.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith(ProblemJsonRejectionHandler.MEDIA_TYPE));
		});
	}

	@Test
	void rejectWhenBrowserThenContainerErrorPageWithSameStatusAndRetryAfter() {
		start(SessionGate.builder(repository()), false);

		HttpResponse<String> rejected = secondRequest(Map.of("Accept", BROWSER_ACCEPT));

		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
		assertThat(rejected.headers().firstValue("Cache-Control"))
			.hasValueSatisfying((cacheControl) -> assertThat(cacheControl).contains("no-store"));
		assertThat(rejected.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(rejected.body()).contains("<html", "429", "Too Many Requests")
			.doesNotContain("urn:sessiongate:problem");
	}

	@Test
	void rejectWhenBrowserAndApplicationMapsAnErrorPageThenThatPageIsRendered() {
		start(SessionGate.builder(repository()), true);

		HttpResponse<String> rejected = secondRequest(Map.of("Accept", BROWSER_ACCEPT));

		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
		assertThat(rejected.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
		assertThat(rejected.body()).isEqualTo("<html><body><h1>Slow down</h1><p>status 429</p></body></html>");
	}

	@Test
	void rejectWhenAlwaysJsonThenBrowsersGetProblemJsonToo() {
		start(SessionGate.builder(repository()).rejectionHandler(ProblemJsonRejectionHandler.alwaysJson()), true);

		HttpResponse<String> rejected = secondRequest(Map.of("Accept", BROWSER_ACCEPT));

		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith(ProblemJsonRejectionHandler.MEDIA_TYPE));
		assertThat(rejected.body()).contains("\"limit\":\"rate\"");
	}

	@Test
	void prefersHtmlWhenHtmlRankedAboveEveryJsonType() {
		assertThat(prefersHtml(BROWSER_ACCEPT)).isTrue();
		assertThat(prefersHtml("application/xhtml+xml")).isTrue();
		assertThat(prefersHtml("application/json;q=0.5, TEXT/HTML")).isTrue();
		assertThat(prefersHtml("text/html;level=1;q=0.9", "application/json;q=0.2")).isTrue();
	}

	@Test
	void prefersHtmlWhenJsonRankedAsHighOrNoHtmlThenFalse() {
		assertThat(prefersHtml()).isFalse();
		assertThat(prefersHtml("*/*")).isFalse();
		assertThat(prefersHtml("text/*")).isFalse();
		assertThat(prefersHtml("application/json, text/html")).isFalse();
		assertThat(prefersHtml("text/html;q=0.5, application/problem+json")).isFalse();
		assertThat(prefersHtml("text/html;q=0")).isFalse();
		assertThat(prefersHtml("text/html;q=nonsense")).isFalse();
		assertThat(prefersHtml("text/html", "application/*")).isFalse();
	}

	private static boolean prefersHtml(String... accept) {
		return ProblemJsonRejectionHandler.prefersHtml(Collections.enumeration(List.of(accept)));
	}

	private static MapSessionRepository repository() {
		return new MapSessionRepository(new ConcurrentHashMap<>());
	}

}
