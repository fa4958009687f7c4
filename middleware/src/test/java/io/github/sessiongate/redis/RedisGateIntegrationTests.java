package io.github.sessiongate.redis;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.RedisTestSessions;
import io.github.sessiongate.testsupport.RedisTestSessions.Kind;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate on Redis end to end: real Jetty nodes, real HTTP clients, sessions in Spring
 * Session Data Redis, a real {@code redis-server}.
 */
class RedisGateIntegrationTests {

	private final Resources resources = new Resources();

	private final AtomicInteger inside = new AtomicInteger();

	private final AtomicInteger maxInside = new AtomicInteger();

	private final String prefix = "it:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@AfterEach
	void close() throws Exception {
		this.resources.close();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void twoNodesWhenOneSessionIsHammeredThroughBothThenLimitHoldsAndCountsAreExact(Kind kind) throws Exception {
		int limit = 2;
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(limit).build();
		Node first = node(kind, RedisTestServer.shared(), limits, StoreFailurePolicy.ALLOW, CreationPolicy.ALWAYS);
		Node second = node(kind, RedisTestServer.shared(), limits, StoreFailurePolicy.ALLOW, CreationPolicy.ALWAYS);
		TestClient browser = new TestClient();
		assertThat(browser.get(first.server.uri("/hello")).statusCode()).isEqualTo(200);
		String sessionId = browser.sessionId();
		AtomicInteger ok = new AtomicInteger();
		AtomicInteger tooMany = new AtomicInteger();

		runConcurrently(8, (thread) -> {
			for (int i = 0; i < 12; i++) {
				Node node = ((thread + i) % 2 == 0) ? first : second;
				int status = browser.get(node.server.uri("/slow")).statusCode();
				(status == 200 ? ok : tooMany).incrementAndGet();
				assertThat(status).isIn(200, 429);
			}
		});

		// a response can reach the client a moment before its request's end is recorded
		Await.until("every request ended", () -> first.gate.activeRequests() + second.gate.activeRequests() == 0
				&& first.gate.ledger().find(sessionId).activeRequests() == 0);
		assertThat(this.maxInside.get()).isLessThanOrEqualTo(limit);
		assertThat(ok.get() + tooMany.get()).isEqualTo(96);
		assertThat(tooMany.get()).isPositive();
		SessionStats stats = first.gate.ledger().find(sessionId);
		assertThat(stats.requestCount()).isEqualTo(1 + ok.get());
		assertThat(stats.rejectionCount()).isEqualTo(tooMany.get());
		assertThat(stats.activeRequests()).isZero();
		assertThat(second.gate.admin().session(sessionId)).contains(stats);
		assertThat(first.gate.activeRequests() + second.gate.activeRequests()).isZero();
		assertThat(RedisKeysProbe.keysWithoutTtl(first.connectionFactory, this.prefix)).isEmpty();
	}

	@Test
	void redisStoppedWhenPolicyAllowThenServesAndCountsAndRecoversAfterRestart() throws Exception {
		RedisTestServer redis = own(RedisTestServer.start());
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();
		Node node = node(null, redis, limits, StoreFailurePolicy.ALLOW, CreationPolicy.ALWAYS);
		TestClient browser = new TestClient();
		assertThat(browser.get(node.server.uri("/hello")).statusCode()).isEqualTo(200);

		redis.stop();
		for (int i = 0; i < 5; i++) {
			assertThat(browser.get(node.server.uri("/hello")).statusCode()).isEqualTo(200);
		}
		assertThat(node.meters.get(SessionGateMetrics.STORE_ERRORS).tag("operation", "begin").functionCounter().count())
			.isEqualTo(5);
		Await.until("no request in progress", () -> node.gate.activeRequests() == 0);

		redis.restart();
		Await.until("the ledger reconnected", Duration.ofSeconds(20), () -> storeErrorsStayAfterRequest(node, browser));
		String sessionId = browser.sessionId();
		assertThat(node.gate.ledger().find(sessionId)).isNotNull();
		Await.until("nothing stuck",
				() -> node.gate.activeRequests() == 0 && node.gate.ledger().find(sessionId).activeRequests() == 0);
	}

	@Test
	void redisStoppedWhenPolicyRejectThenAnswers503AndRecoversAfterRestart() throws Exception {
		RedisTestServer redis = own(RedisTestServer.start());
		Node node = node(null, redis, SessionLimits.none(), StoreFailurePolicy.REJECT, CreationPolicy.ALWAYS);
		TestClient browser = new TestClient();
		assertThat(browser.get(node.server.uri("/hello")).statusCode()).isEqualTo(200);
		int calls = node.calls.get();

		redis.stop();
		HttpResponse<String> rejected = browser.get(node.server.uri("/hello"));

		assertThat(rejected.statusCode()).isEqualTo(503);
		assertThat(rejected.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(node.calls.get()).isEqualTo(calls);
		Await.until("no request in progress", () -> node.gate.activeRequests() == 0);

		redis.restart();
		Await.until("requests are served again", Duration.ofSeconds(20),
				() -> browser.get(node.server.uri("/hello")).statusCode() == 200);
		Await.until("nothing stuck", () -> node.gate.activeRequests() == 0
				&& node.gate.ledger().find(browser.sessionId()).activeRequests() == 0);
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void garbageSessionIdsWhenPresentedThenNothingIsWritten(Kind kind) throws Exception {
		RedisTestServer redis = own(RedisTestServer.start());
		Node node = node(kind, redis, SessionLimits.none(), StoreFailurePolicy.ALLOW, CreationPolicy.IF_REQUIRED);
		List<String> garbage = List.of("not-base64-%%%", "Zm9v", "x".repeat(5000),
				java.util.Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes()), "",
				"../../etc/passwd");
		for (String value : garbage) {
			TestClient client = new TestClient();
			client.setSessionCookie(node.server.uri("/"), value);
			assertThat(client.get(node.server.uri("/hello")).statusCode()).isEqualTo(200);
		}

		assertThat(RedisKeysProbe.keys(node.connectionFactory, "")).isEmpty();
	}

	@Test
	void springSessionDataRedisWhenGatedThenSessionsAndLedgerShareRedisWithTtls() throws Exception {
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(4).build();
		Node node = node(RedisTestServer.shared(), limits, StoreFailurePolicy.ALLOW);
		TestClient browser = new TestClient();

		browser.get(node.server.uri("/hello"));
		browser.get(node.server.uri("/hello"));

		String sessionId = browser.sessionId();
		assertThat(node.repository.findById(sessionId)).isNotNull();
		assertThat(node.gate.ledger().find(sessionId).requestCount()).isEqualTo(2);
		Await.until("the request ended", () -> node.gate.ledger().find(sessionId).activeRequests() == 0);
		assertThat(RedisKeysProbe.keys(node.connectionFactory, this.prefix)).isNotEmpty();
		assertThat(RedisKeysProbe.keysWithoutTtl(node.connectionFactory, this.prefix)).isEmpty();
		assertThat(RedisKeysProbe.keysWithoutTtl(node.connectionFactory, this.prefix + "sessions")).isEmpty();
	}

	private boolean storeErrorsStayAfterRequest(Node node, TestClient browser) {
		double before = node.meters.get(SessionGateMetrics.STORE_ERRORS)
			.tag("operation", "begin")
			.functionCounter()
			.count();
		int status = browser.get(node.server.uri("/hello")).statusCode();
		double after = node.meters.get(SessionGateMetrics.STORE_ERRORS)
			.tag("operation", "begin")
			.functionCounter()
			.count();
		return status == 200 && after == before;
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void sessionsWhenEndedByTheAdminOrTheApplicationThenTheirDataIsGoneAndEveryKeyHasATtl(Kind kind) throws Exception {
		RedisTestServer redis = own(RedisTestServer.start());
		Node node = node(kind, redis, SessionLimits.builder().maxConcurrentRequestsPerSession(2).build(),
				StoreFailurePolicy.ALLOW, CreationPolicy.ALWAYS);
		int sessions = 24;
		List<TestClient> browsers = new java.util.concurrent.CopyOnWriteArrayList<>();
		runConcurrently(4, (thread) -> {
			for (int i = 0; i < sessions / 4; i++) {
				TestClient browser = new TestClient();
				assertThat(browser.get(node.server.uri("/hello")).statusCode()).isEqualTo(200);
				assertThat(browser.get(node.server.uri("/hello")).statusCode()).isEqualTo(200);
				browsers.add(browser);
			}
		});
		Await.until("all requests ended", () -> node.gate.activeRequests() == 0);
		assertThat(node.gate.admin().activeSessions()).isEqualTo(sessions);
		List<String> ids = browsers.stream().map(TestClient::sessionId).toList();
		for (int i = 0; i < sessions; i++) {
			String sessionId = ids.get(i);
			assertThat(node.repository.findById(sessionId)).as("stored session").isNotNull();
			assertThat(node.gate.ledger().find(sessionId).requestCount()).isEqualTo(2);
			if (i % 2 == 0) {
				assertThat(node.gate.admin().endSession(sessionId, SessionStatus.COMPLETED, "test")).isPresent();
			}
			else {
				assertThat(browsers.get(i).get(node.server.uri("/logout")).statusCode()).isEqualTo(200);
			}
		}

		for (String sessionId : ids) {
			// an ended session's data is deleted, whichever way it ended
			assertThat(node.repository.findById(sessionId)).isNull();
		}
		assertThat(node.gate.admin().activeSessions()).isZero();
		assertThat(RedisKeysProbe.keys(node.connectionFactory, this.prefix)
			.stream()
			.filter((key) -> key.endsWith(":data") || key.contains("sessions:sessions:"))).isEmpty();
		assertThat(RedisKeysProbe.keysWithoutTtl(node.connectionFactory, "")).isEmpty();
	}

	private Node node(RedisTestServer redis, SessionLimits limits, StoreFailurePolicy policy) {
		return node(Kind.SPRING_SESSION, redis, limits, policy, CreationPolicy.ALWAYS);
	}

	/**
	 * One app node: its own connection, ledger, gate and Jetty.
	 * @param kind the Redis session repository; {@code null} keeps sessions in memory (so
	 * only the ledger depends on Redis)
	 */
	private Node node(@Nullable Kind kind, RedisTestServer redis, SessionLimits limits, StoreFailurePolicy policy,
			CreationPolicy creationPolicy) {
		LettuceConnectionFactory connectionFactory = own(
				RedisSessionLedger.connectionFactory(redis.uri(), Duration.ofSeconds(2)),
				LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build();
		SessionRepository<? extends Session> repository = (kind != null) ? RedisTestSessions.repository(kind,
				connectionFactory, ledger, this.prefix + "sessions", Duration.ofMinutes(30))
				: new MapSessionRepository(new ConcurrentHashMap<>());
		SessionGate gate = own(SessionGate.builder(repository)
			.ledger(ledger)
			.limits(limits)
			.creationPolicy(creationPolicy)
			.storeFailurePolicy(policy)
			.sweepInterval(Duration.ZERO)
			.build());
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new SessionGateMetrics(gate).bindTo(meters);
		AtomicInteger calls = new AtomicInteger();
		JettyTestServer server = own(JettyTestServer.start(gate.filter(), (context) -> {
			JettyTestServer.servlet(context, "/hello", servlet((request, response) -> {
				calls.incrementAndGet();
				response.getWriter().print("hello");
			}));
			JettyTestServer.servlet(context, "/logout", servlet((request, response) -> {
				request.getSession().invalidate();
				response.getWriter().print("bye");
			}));
			JettyTestServer.servlet(context, "/slow", servlet((request, response) -> {
				calls.incrementAndGet();
				this.maxInside.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
				try {
					Thread.sleep(15);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					this.inside.decrementAndGet();
				}
				response.getWriter().print("slow");
			}));
		}));
		return new Node(server, gate, repository, connectionFactory, meters, calls);
	}

	static RedisSessionRepository redisSessions(LettuceConnectionFactory connectionFactory, String namespace) {
		return RedisTestSessions.repository(connectionFactory, namespace,
				Duration.ofSeconds(MapSession.DEFAULT_MAX_INACTIVE_INTERVAL_SECONDS));
	}

	static HttpServlet servlet(Handler handler) {
		return new HttpServlet() {
			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
				handler.handle(request, response);
			}
		};
	}

	private <T extends AutoCloseable> T own(T resource) {
		return this.resources.own(resource);
	}

	private <T> T own(T resource, java.util.function.Consumer<T> closer) {
		return this.resources.own(resource, closer);
	}

	static void runConcurrently(int threads, ThreadTask task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch go = new CountDownLatch(1);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				int thread = i;
				futures.add(executor.submit(() -> {
					go.await();
					task.run(thread);
					return null;
				}));
			}
			go.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@FunctionalInterface
	interface ThreadTask {

		void run(int thread) throws Exception;

	}

	@FunctionalInterface
	interface Handler {

		void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;

	}

	record Node(JettyTestServer server, SessionGate gate, SessionRepository<?> repository,
			LettuceConnectionFactory connectionFactory, SimpleMeterRegistry meters, AtomicInteger calls) {
	}

}
