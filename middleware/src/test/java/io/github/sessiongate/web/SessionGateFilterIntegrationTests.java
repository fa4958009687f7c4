package io.github.sessiongate.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionIds;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate filter in front of a real Jetty, driven by a real HTTP client.
 */
class SessionGateFilterIntegrationTests {

	private final TestApp app = new TestApp();

	private final Map<String, org.springframework.session.Session> store = new ConcurrentHashMap<>();

	private final MapSessionRepository repository = new MapSessionRepository(this.store);

	private final List<SessionGateEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

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
		this.app.close();
	}

	private void start(SessionGate.Builder builder) {
		this.gate = builder.listener(this.events::add).sweepInterval(java.time.Duration.ZERO).build();
		this.server = this.app.start(this.gate.filter());
	}

	private SessionGate.Builder builder() {
		return SessionGate.builder(this.repository).creationPolicy(CreationPolicy.ALWAYS);
	}

	@Test
	void doFilterWhenRequestThenContextIsPresentInsideAndClearedAfter() {
		start(builder());
		TestClient client = new TestClient();
		HttpResponse<String> first = client.get(this.server.uri("/context"),
				Map.of("User-Agent", "SessionGateTest/1.0"));
		HttpResponse<String> second = client.get(this.server.uri("/context"));

		assertThat(first.statusCode()).isEqualTo(200);
		String sessionId = client.sessionId();
		assertThat(sessionId).isNotNull();
		assertThat(first.body()).contains("session=" + sessionId).contains("clientIp=127.0.0.1");
		assertThat(second.body()).contains("session=" + sessionId);
		assertThat(this.app.seenContexts).hasSize(2).allSatisfy((context) -> {
			assertThat(context.sessionId()).isEqualTo(sessionId);
			assertThat(context.hasSession()).isTrue();
		});
		SessionContext firstContext = this.app.seenContexts.peek();
		assertThat(firstContext.userAgent()).isEqualTo("SessionGateTest/1.0");
		assertThat(firstContext.toString()).doesNotContain(sessionId);
		assertThat(this.app.seenAfterRequest).isEmpty();
		assertThat(this.app.seenMdcSessions).containsOnly(SessionIds.shortForm(sessionId));
		SessionStats stats = this.gate.admin().session(sessionId).orElseThrow();
		assertThat(stats.requestCount()).isEqualTo(2);
		assertThat(stats.activeRequests()).isZero();
	}

	@Test
	void doFilterWhenCreationPolicyIfRequiredThenSessionlessRequestHasContextWithoutSession() {
		start(builder().creationPolicy(CreationPolicy.IF_REQUIRED));
		TestClient client = new TestClient();
		HttpResponse<String> response = client.get(this.server.uri("/context"));

		assertThat(response.body()).contains("session=null");
		assertThat(client.sessionCookie()).isNull();
		assertThat(this.store).isEmpty();
		assertThat(this.gate.ledger().activeSessions()).isZero();
	}

	@Test
	void doFilterWhenApplicationCreatesSessionThenItIsTrackedFromThatRequest() {
		start(builder().creationPolicy(CreationPolicy.IF_REQUIRED));
		TestClient client = new TestClient();
		client.get(this.server.uri("/create-session"));
		client.get(this.server.uri("/context"));

		String sessionId = client.sessionId();
		assertThat(sessionId).isNotNull();
		SessionStats stats = this.gate.admin().session(sessionId).orElseThrow();
		assertThat(stats.requestCount()).isEqualTo(2);
		assertThat(this.gate.ledger().activeSessions()).isEqualTo(1);
	}

	@Test
	void doFilterWhenCreationPolicyNeverThenNoSessionIsCreatedOrTracked() {
		start(builder().creationPolicy(CreationPolicy.NEVER));
		TestClient client = new TestClient();
		client.get(this.server.uri("/create-session"));

		assertThat(client.sessionId()).isNotNull();
		assertThat(this.gate.ledger().activeSessions()).isZero();
		client.get(this.server.uri("/context"));
		assertThat(this.gate.admin().session(client.sessionId()).orElseThrow().requestCount()).isEqualTo(1);
	}

	@Test
	void doFilterWhenSessionAtConcurrencyLimitThenRejectsWith429AndCountsExactly() throws Exception {
		int limit = 3;
		start(builder().limits(SessionLimits.builder().maxConcurrentRequestsPerSession(limit).build()));
		TestClient client = new TestClient();
		client.get(this.server.uri("/context"));
		String sessionId = client.sessionId();

		int threads = 12;
		int perThread = 15;
		AtomicInteger ok = new AtomicInteger();
		AtomicInteger tooMany = new AtomicInteger();
		List<HttpResponse<String>> rejections = new java.util.concurrent.CopyOnWriteArrayList<>();
		runConcurrently(threads, () -> {
			for (int i = 0; i < perThread; i++) {
				HttpResponse<String> response = client.get(this.server.uri("/slow?ms=10"));
				if (response.statusCode() == 200) {
					ok.incrementAndGet();
				}
				else if (response.statusCode() == 429) {
					tooMany.incrementAndGet();
					rejections.add(response);
				}
			}
		});

		assertThat(ok.get() + tooMany.get()).isEqualTo(threads * perThread);
		assertThat(this.app.maxInside.get()).isLessThanOrEqualTo(limit).isPositive();
		assertThat(tooMany.get()).isPositive();
		HttpResponse<String> rejection = rejections.get(0);
		assertThat(rejection.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(rejection.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(rejection.body()).contains("\"status\":429")
			.contains("\"limit\":\"session-concurrency\"")
			.doesNotContain(sessionId);
		Await.until("requests finished", () -> this.gate.activeRequests() == 0);
		SessionStats stats = this.gate.admin().session(sessionId).orElseThrow();
		assertThat(stats.activeRequests()).isZero();
		assertThat(stats.requestCount()).isEqualTo(ok.get() + 1);
		assertThat(stats.rejectionCount()).isEqualTo(tooMany.get());
		assertThat(this.gate.rejections(Limit.SESSION_CONCURRENCY)).isEqualTo(tooMany.get());
		assertThat(this.events).filteredOn(RequestRejectedEvent.class::isInstance).hasSize(tooMany.get());
	}

	@Test
	void doFilterWhenNodeAtCapacityThenRejectsWith503() throws Exception {
		start(builder().limits(SessionLimits.builder().maxActiveRequests(2).build()));
		this.app.gate = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			List<Future<HttpResponse<String>>> held = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				TestClient client = new TestClient();
				held.add(executor.submit(() -> client.get(this.server.uri("/slow"))));
			}
			Await.until("two requests inside", () -> this.app.inside.get() == 2);
			HttpResponse<String> rejected = new TestClient().get(this.server.uri("/context"));

			assertThat(rejected.statusCode()).isEqualTo(503);
			assertThat(rejected.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(rejected.body()).contains("\"limit\":\"capacity\"").contains("\"status\":503");
			assertThat(this.gate.activeRequests()).isEqualTo(2);
			this.app.gate.countDown();
			for (Future<HttpResponse<String>> future : held) {
				assertThat(future.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			}
		}
		finally {
			this.app.gate.countDown();
			executor.shutdownNow();
		}
		Await.until("node drained", () -> this.gate.activeRequests() == 0);
		assertThat(this.gate.rejections(Limit.CAPACITY)).isEqualTo(1);
		assertThat(this.store).hasSize(2);
	}

	@Test
	void doFilterWhenApplicationFailsThenErrorsAreCountedAndExceptionPropagates() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		start(builder());
		new SessionGateMetrics(this.gate).bindTo(registry);
		TestClient client = new TestClient();
		assertThat(client.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
		assertThat(client.get(this.server.uri("/fail")).statusCode()).isEqualTo(500);
		assertThat(client.get(this.server.uri("/status?code=503")).statusCode()).isEqualTo(503);
		assertThat(client.get(this.server.uri("/status?code=404")).statusCode()).isEqualTo(404);

		SessionStats stats = this.gate.admin().session(client.sessionId()).orElseThrow();
		assertThat(stats.requestCount()).isEqualTo(4);
		assertThat(stats.errorCount()).isEqualTo(2);
		assertThat(stats.activeRequests()).isZero();
		assertThat(stats.maxProcessingTime()).isPositive();
		assertThat(registry.get(SessionGateMetrics.REQUESTS)
			.tags("outcome", "server_error", "exception", "IllegalStateException")
			.timer()
			.count()).isEqualTo(1);
		assertThat(registry.get(SessionGateMetrics.REQUESTS)
			.tags("outcome", "server_error", "exception", "none")
			.timer()
			.count()).isEqualTo(1);
		assertThat(registry.get(SessionGateMetrics.REQUESTS).tags("outcome", "client_error").timer().count())
			.isEqualTo(1);
		assertThat(registry.get(SessionGateMetrics.REQUESTS).tags("outcome", "success").timer().count()).isEqualTo(1);
	}

	@Test
	void metricsWhenRequestsAndRejectionsThenMetersHaveExactValues() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		start(builder().limits(SessionLimits.builder().maxConcurrentRequestsPerSession(1).build()));
		new SessionGateMetrics(this.gate).bindTo(registry);
		TestClient alice = new TestClient();
		TestClient bob = new TestClient();
		alice.get(this.server.uri("/context"));
		bob.get(this.server.uri("/context"));
		this.app.gate = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<HttpResponse<String>> held = executor.submit(() -> alice.get(this.server.uri("/slow")));
			Await.until("alice inside", () -> this.app.inside.get() == 1);
			assertThat(registry.get(SessionGateMetrics.REQUESTS_ACTIVE).gauge().value()).isEqualTo(1.0);
			assertThat(alice.get(this.server.uri("/context")).statusCode()).isEqualTo(429);
			this.app.gate.countDown();
			assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		finally {
			this.app.gate.countDown();
			executor.shutdownNow();
		}
		Await.until("drained", () -> this.gate.activeRequests() == 0);
		assertThat(registry.get(SessionGateMetrics.REQUESTS_ACTIVE).gauge().value()).isZero();
		assertThat(registry.get(SessionGateMetrics.SESSIONS_ACTIVE).gauge().value()).isEqualTo(2.0);
		assertThat(registry.get(SessionGateMetrics.SESSIONS_CREATED).functionCounter().count()).isEqualTo(2.0);
		assertThat(registry.get(SessionGateMetrics.REQUESTS_REJECTED)
			.tag("limit", "session-concurrency")
			.functionCounter()
			.count()).isEqualTo(1.0);
		assertThat(
				registry.get(SessionGateMetrics.REQUESTS_REJECTED).tag("limit", "capacity").functionCounter().count())
			.isZero();
		assertThat(registry.get(SessionGateMetrics.REQUESTS).timer().count()).isEqualTo(3);
		assertThat(registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
			.noneMatch((tag) -> tag.getValue().equals(alice.sessionId()) || tag.getValue().equals("127.0.0.1")));
	}

	@Test
	void doFilterWhenPathExcludedThenRequestBypassesTheGate() {
		start(builder().excludedPaths("/health", "*.css")
			.limits(SessionLimits.builder().maxConcurrentRequestsPerSession(1).build()));
		TestClient client = new TestClient();
		HttpResponse<String> response = client.get(this.server.uri("/health"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(client.sessionCookie()).isNull();
		assertThat(this.store).isEmpty();
		assertThat(this.app.seenContexts).isEmpty();
		assertThat(this.gate.ledger().activeSessions()).isZero();
	}

	static void runConcurrently(int threads, Runnable task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			futures.add(executor.submit(() -> {
				start.await();
				task.run();
				return null;
			}));
		}
		start.countDown();
		try {
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

}
