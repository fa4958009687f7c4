package io.github.sessiongate.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.events.RequestRejectedEvent;
import io.github.sessiongate.events.SessionGateEvent;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.Ordered;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request path as a real HTTP client sees it, through Jetty on a random port: when a
 * request ends, which dispatches are gated, which paths are excluded, what a rejection
 * leaves behind, and that every count agrees.
 */
class RequestPathIntegrationTests {

	/** How long the application keeps working after its response is complete. */
	private static final long WORK_AFTER_RESPONSE_MILLIS = 150;

	private final Map<String, Session> store = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<SessionGateEvent> events = new ConcurrentLinkedQueue<>();

	private final AtomicInteger applicationCalls = new AtomicInteger();

	private final AtomicInteger helloCalls = new AtomicInteger();

	private final ConcurrentLinkedQueue<String> errorPageContexts = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<String> lateSessionOutcomes = new ConcurrentLinkedQueue<>();

	private volatile CountDownLatch hold = new CountDownLatch(0);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private SessionGate gate;

	private JettyTestServer server;

	@AfterEach
	void close() throws Exception {
		this.hold.countDown();
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	private void start(SessionLimits limits, UnaryOperator<SessionGate.Builder> customizer) {
		SessionGate.Builder builder = SessionGate.builder(new MapSessionRepository(this.store))
			.limits(limits)
			.sweepInterval(Duration.ZERO)
			.listener(this.events::add);
		this.gate = customizer.apply(builder).build();
		this.server = JettyTestServer.start(this.gate.filter(), this::register);
		this.closeables.add(this.server);
		this.closeables.add(this.gate);
	}

	private void register(ServletContextHandler context) {
		JettyTestServer.servlet(context, "/hello", servlet((request, response) -> {
			this.helloCalls.incrementAndGet();
			byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
		}));
		// completes the response in one of several ways, then keeps working: the client
		// has its whole response long before the application returns
		JettyTestServer.servlet(context, "/complete-then-work", servlet((request, response) -> {
			String end = request.getParameter("end");
			switch (end) {
				case "length" -> {
					response.setContentLength(4);
					response.getOutputStream().write("done".getBytes(StandardCharsets.US_ASCII));
				}
				case "writer-length" -> {
					response.setCharacterEncoding("UTF-8");
					response.setContentLength("d\u00f6ne".getBytes(StandardCharsets.UTF_8).length);
					response.getWriter().print("d\u00f6ne");
				}
				case "close" -> {
					response.getOutputStream().write("done".getBytes(StandardCharsets.US_ASCII));
					response.getOutputStream().close();
				}
				case "error" -> response.sendError(404);
				case "redirect" -> response.sendRedirect("/hello");
				default -> throw new IllegalArgumentException(end);
			}
			sleep(WORK_AFTER_RESPONSE_MILLIS);
		}));
		JettyTestServer.servlet(context, "/held", servlet((request, response) -> {
			await(this.hold);
			response.getWriter().print("held");
		}));
		JettyTestServer.servlet(context, "/not-found", servlet((request, response) -> response.sendError(404)));
		JettyTestServer.servlet(context, "/error", servlet((request, response) -> {
			SessionContext context1 = SessionContextHolder.getContext();
			this.errorPageContexts.add((context1 != null) ? String.valueOf(context1.sessionId()) : "none");
			response.getWriter().print("error page");
		}));
		JettyTestServer.servlet(context, "/public/forward", servlet((request, response) -> {
			request.getRequestDispatcher("/hello").forward(request, response);
		}));
		JettyTestServer.servlet(context, "/public/include", servlet((request, response) -> {
			request.getRequestDispatcher("/hello").include(request, response);
		}));
		JettyTestServer.servlet(context, "*.css", servlet((request, response) -> {
			response.getWriter().print("css");
		}));
		JettyTestServer.servlet(context, "/slow", servlet((request, response) -> {
			await(this.hold);
			response.getWriter().print("slow");
		}));
		JettyTestServer.servlet(context, "/late-session", servlet((request, response) -> {
			response.getWriter().print("committed");
			response.flushBuffer();
			try {
				request.getSession(true);
				this.lateSessionOutcomes.add("created");
			}
			catch (IllegalStateException ex) {
				this.lateSessionOutcomes.add("refused");
			}
		}));
		JettyTestServer.servlet(context, "/big", servlet((request, response) -> {
			byte[] chunk = new byte[64 * 1024];
			for (int i = 0; i < 512; i++) {
				response.getOutputStream().write(chunk);
				response.getOutputStream().flush();
			}
		}));
		ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
		errorPages.addErrorPage(404, "/error");
		context.setErrorHandler(errorPages);
	}

	// ---- 1. a request ends when its response is complete for the client

	@ParameterizedTest
	@ValueSource(strings = { "length", "writer-length", "close", "error", "redirect" })
	void sequentialClientWhenResponseCompleteBeforeApplicationReturnsThenNeverRejected(String end) {
		start(SessionLimits.builder().maxConcurrentRequestsPerSession(1).build(),
				(b) -> b.creationPolicy(CreationPolicy.ALWAYS));
		TestClient client = new TestClient();
		assertThat(client.get(this.server.uri("/hello")).statusCode()).isEqualTo(200);
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			// the next request goes out as soon as the previous response is read, while
			// the application is still working on it for another 150 ms
			statuses.add(client.get(this.server.uri("/complete-then-work?end=" + end)).statusCode());
			statuses.add(client.get(this.server.uri("/hello")).statusCode());
		}
		assertThat(statuses).doesNotContain(429);
		Await.until("all requests ended", () -> this.gate.activeRequests() == 0);
		SessionStats stats = this.gate.admin().session(client.sessionId()).orElseThrow();
		assertThat(stats.rejectionCount()).isZero();
		assertThat(stats.requestCount()).isEqualTo(1 + 12);
		assertThat(this.gate.rejections(Limit.SESSION_CONCURRENCY)).isZero();
	}

	@Test
	void sequentialClientWhenTenThousandRequestsAtLimitOneThenNoneRejected() {
		start(SessionLimits.builder().maxConcurrentRequestsPerSession(1).build(),
				(b) -> b.creationPolicy(CreationPolicy.ALWAYS));
		TestClient client = new TestClient();
		int requests = 10_000;
		int rejected = 0;
		for (int i = 0; i < requests; i++) {
			if (client.get(this.server.uri("/hello")).statusCode() == 429) {
				rejected++;
			}
		}
		assertThat(rejected).isZero();
		Await.until("all requests ended", () -> this.gate.activeRequests() == 0);
		SessionStats stats = this.gate.admin().session(client.sessionId()).orElseThrow();
		// the JDK client sends a GET again when its keep-alive connection closed under it
		// (seen once in 10 000: 10 001 served), so the ledger is checked against what the
		// application served
		assertThat(this.helloCalls.get()).isBetween(requests, requests + 10);
		assertThat(stats.requestCount()).isEqualTo(this.helloCalls.get());
		assertThat(stats.rejectionCount()).isZero();
		assertThat(stats.activeRequests()).isZero();
	}

	// ---- 2. only the original request is gated

	@Test
	void errorDispatchWhenOriginalWasExcludedThenNotGatedAndNothingCreated() {
		start(SessionLimits.none(), (b) -> b.creationPolicy(CreationPolicy.ALWAYS).excludedPaths("/public/**"));
		TestClient client = new TestClient();

		HttpResponse<String> response = client.get(this.server.uri("/public/nope"));

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("error page");
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.errorPageContexts).containsExactly("none");
		assertThat(this.store).isEmpty();
		assertThat(this.gate.ledger().activeSessions()).isZero();
	}

	@Test
	void errorDispatchWhenOriginalWasGatedThenSeesItsContextAndIsCountedOnce() {
		start(SessionLimits.none(), (b) -> b.creationPolicy(CreationPolicy.ALWAYS));
		TestClient client = new TestClient();

		HttpResponse<String> response = client.get(this.server.uri("/not-found"));

		assertThat(response.statusCode()).isEqualTo(404);
		String sessionId = client.sessionId();
		assertThat(this.errorPageContexts).containsExactly(sessionId);
		Await.until("request ended", () -> this.gate.activeRequests() == 0);
		assertThat(this.gate.admin().session(sessionId).orElseThrow().requestCount()).isEqualTo(1);
	}

	@Test
	void errorDispatchWhenOriginalWasRejectedThenNotGatedAgain() {
		start(SessionLimits.builder().maxActiveRequests(1).build(), (b) -> b.creationPolicy(CreationPolicy.ALWAYS)
			.rejectionHandler((request, response, problem) -> response.sendError(problem.status())));
		this.hold = new CountDownLatch(1);
		TestClient holder = new TestClient();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		this.closeables.add(executor::shutdownNow);
		Future<HttpResponse<String>> held = executor.submit(() -> holder.get(this.server.uri("/held")));
		Await.until("one request in progress", () -> this.gate.activeRequests() == 1);

		HttpResponse<String> refused = new TestClient().get(this.server.uri("/hello"));

		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(this.gate.rejections(Limit.CAPACITY)).isEqualTo(1);
		assertThat(this.gate.activeRequests()).isEqualTo(1);
		this.hold.countDown();
		// the holder's response arrives after Spring Session saved its session
		assertThat(get(held).statusCode()).isEqualTo(200);
		assertThat(this.store).containsOnlyKeys(holder.sessionId());
	}

	@ParameterizedTest
	@ValueSource(strings = { "/public/forward", "/public/include" })
	void forwardOrIncludeWhenOriginalWasExcludedThenTargetIsNotGated(String path) {
		start(SessionLimits.none(), (b) -> b.creationPolicy(CreationPolicy.ALWAYS).excludedPaths("/public/**"));

		HttpResponse<String> response = new TestClient().get(this.server.uri(path));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello");
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.store).isEmpty();
		assertThat(this.gate.ledger().activeSessions()).isZero();
	}

	// ---- 3. excluded paths match the path the container serves

	@ParameterizedTest
	@ValueSource(strings = { "/slow;.css", "/slow;jsessionid=x.css", "/slow;a=b;.css" })
	void excludedExtensionWhenPathParameterDressesUpAnotherPathThenGated(String path) {
		start(SessionLimits.builder().maxConcurrentRequestsPerSession(1).build(),
				(b) -> b.creationPolicy(CreationPolicy.ALWAYS).excludedPaths("*.css"));
		TestClient client = new TestClient();
		assertThat(client.get(this.server.uri("/style.css")).headers().allValues("Set-Cookie")).isEmpty();
		assertThat(client.get(this.server.uri("/hello")).statusCode()).isEqualTo(200);
		this.hold = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		this.closeables.add(executor::shutdownNow);
		Future<HttpResponse<String>> first = executor.submit(() -> client.get(this.server.uri(path)));
		Await.until("one request in progress", () -> this.gate.activeRequests() == 1);

		HttpResponse<String> second = client.get(this.server.uri(path));

		assertThat(second.statusCode()).isEqualTo(429);
		this.hold.countDown();
		assertThat(get(first).statusCode()).isEqualTo(200);
		Await.until("drained", () -> this.gate.activeRequests() == 0);
		SessionStats stats = this.gate.admin().session(client.sessionId()).orElseThrow();
		assertThat(stats.requestCount()).isEqualTo(2);
		assertThat(stats.rejectionCount()).isEqualTo(1);
	}

	@Test
	void excludedPathWhenServedPathMatchesThenBypassesTheGate() {
		start(SessionLimits.none(), (b) -> b.creationPolicy(CreationPolicy.ALWAYS).excludedPaths("*.css"));

		HttpResponse<String> response = new TestClient().get(this.server.uri("/static/site.css"));

		assertThat(response.body()).isEqualTo("css");
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.store).isEmpty();
	}

	// ---- 4. a rejection leaves nothing behind

	@Test
	void rejectionWhenSessionWasCreatedForTheRequestThenNothingIsStored() {
		start(SessionLimits.builder().maxSessions(1).build(), (b) -> b.creationPolicy(CreationPolicy.ALWAYS));
		TestClient first = new TestClient();
		assertThat(first.get(this.server.uri("/hello")).statusCode()).isEqualTo(200);

		HttpResponse<String> refused = new TestClient().get(this.server.uri("/hello"));

		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		// at most a cookie that expires at once: the session made for it is gone
		assertThat(refused.headers().allValues("Set-Cookie")).allMatch((cookie) -> cookie.contains("Max-Age=0"));
		assertThat(this.store).containsOnlyKeys(first.sessionId());
		assertThat(this.gate.rejections(Limit.MAX_SESSIONS)).isEqualTo(1);
	}

	// ---- 5. Spring Session's servlet contract

	@Test
	void getSessionWhenResponseAlreadyCommittedThenRefusedAndNothingStored() {
		start(SessionLimits.none(), (b) -> b);

		HttpResponse<String> response = new TestClient().get(this.server.uri("/late-session"));

		assertThat(response.body()).isEqualTo("committed");
		Await.until("the application finished", () -> !this.lateSessionOutcomes.isEmpty());
		assertThat(this.lateSessionOutcomes).containsExactly("refused");
		assertThat(this.store).isEmpty();
	}

	@Test
	void filterWhenPlainServletAppThenNeedsNoSpringCoreAndPublishesSpringSessionsOrder() {
		start(SessionLimits.none(), (b) -> b);

		// like Spring Session's SessionRepositoryFilter (its doesNotImplementOrdered
		// test):
		// spring-core is not among sessiongate-middleware's dependencies
		assertThat(this.gate.filter()).isNotInstanceOf(Ordered.class);
		assertThat(StandaloneSessionGateFilter.DEFAULT_ORDER).isEqualTo(SessionRepositoryFilter.DEFAULT_ORDER);
	}

	// ---- 7. one source of counts; client disconnects

	@Test
	void countsWhenRejectionsOfEveryKindThenAdminMetersAndEventsAgreeAndDoubleBindingCountsOnce() throws Exception {
		start(SessionLimits.builder().maxConcurrentRequestsPerSession(1).maxActiveRequests(3).maxSessions(3).build(),
				(b) -> b.creationPolicy(CreationPolicy.ALWAYS));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		SimpleMeterRegistry other = new SimpleMeterRegistry();
		SessionGateMetrics metrics = new SessionGateMetrics(this.gate);
		metrics.bindTo(registry);
		metrics.bindTo(registry);
		new SessionGateMetrics(this.gate).bindTo(registry);
		new SessionGateMetrics(this.gate).bindTo(other);
		TestClient shared = new TestClient();
		assertThat(shared.get(this.server.uri("/hello")).statusCode()).isEqualTo(200);
		this.hold = new CountDownLatch(1);
		int threads = 12;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		this.closeables.add(executor::shutdownNow);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Integer>> statuses = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			TestClient client = (i % 2 == 0) ? shared : new TestClient();
			statuses.add(executor.submit(() -> {
				await(go);
				return client.get(this.server.uri("/slow")).statusCode();
			}));
		}
		go.countDown();
		Await.until("every request admitted or refused",
				() -> this.gate.activeRequests() + rejectionsTotal() >= threads);
		this.hold.countDown();
		int ok = 0;
		int refused = 0;
		for (Future<Integer> status : statuses) {
			int code = status.get(30, TimeUnit.SECONDS);
			if (code == 200) {
				ok++;
			}
			else {
				assertThat(code).isIn(429, 503);
				refused++;
			}
		}
		Await.until("drained", () -> this.gate.activeRequests() == 0);

		assertThat(refused).isPositive();
		long eventRejections = this.events.stream().filter(RequestRejectedEvent.class::isInstance).count();
		assertThat(rejectionsTotal()).isEqualTo(refused).isEqualTo(eventRejections);
		for (Limit limit : Limit.values()) {
			long byEvents = this.events.stream()
				.filter((e) -> e instanceof RequestRejectedEvent r && r.limit() == limit)
				.count();
			assertThat(this.gate.admin().rejections(limit)).isEqualTo(byEvents);
			assertThat(registry.get(SessionGateMetrics.REQUESTS_REJECTED)
				.tag("limit", limit.tag())
				.functionCounter()
				.count()).isEqualTo(byEvents);
			assertThat(this.gate.admin().summary().rejectionsByLimit().get(limit)).isEqualTo(byEvents);
		}
		long requestsThatRan = 1 + ok;
		assertThat(registry.get(SessionGateMetrics.REQUESTS).timer().count()).isEqualTo(requestsThatRan);
		assertThat(other.get(SessionGateMetrics.REQUESTS).timer().count()).isEqualTo(requestsThatRan);
		assertThat(registry.get(SessionGateMetrics.REQUESTS_ACTIVE).gauge().value()).isZero();
	}

	private long rejectionsTotal() {
		long total = 0;
		for (Limit limit : Limit.values()) {
			total += this.gate.rejections(limit);
		}
		return total;
	}

	@Test
	void clientWhenDisconnectingMidResponseThenRecordedAsErrorWithStatus499() throws Exception {
		start(SessionLimits.none(), (b) -> b.creationPolicy(CreationPolicy.ALWAYS));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new SessionGateMetrics(this.gate).bindTo(registry);
		try (Socket socket = new Socket("127.0.0.1", this.server.port())) {
			OutputStream out = socket.getOutputStream();
			out.write("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[8192];
			int read = 0;
			while (read < 128 * 1024) {
				int n = in.read(buffer);
				if (n < 0) {
					break;
				}
				read += n;
			}
			socket.setSoLinger(true, 0);
		}
		Await.until("the aborted request ended", () -> this.gate.activeRequests() == 0
				&& registry.find(SessionGateMetrics.REQUESTS).timers().stream().mapToLong((t) -> t.count()).sum() == 1);
		assertThat(registry.find(SessionGateMetrics.REQUESTS).tag("outcome", "client_error").timers())
			.as(registry.getMetersAsString())
			.singleElement()
			.satisfies((timer) -> assertThat(timer.count()).isEqualTo(1));
		String sessionId = this.store.keySet().iterator().next();
		SessionStats stats = this.gate.admin().session(sessionId).orElseThrow();
		assertThat(stats.errorCount()).isEqualTo(1);
		assertThat(stats.activeRequests()).isZero();
	}

	// ---- helpers

	private static <T> T get(Future<T> future) {
		try {
			return future.get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static HttpServlet servlet(Handler handler) {
		return new HttpServlet() {
			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response)
					throws ServletException, IOException {
				handler.handle(request, response);
			}
		};
	}

	@FunctionalInterface
	interface Handler {

		void handle(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException;

	}

}
