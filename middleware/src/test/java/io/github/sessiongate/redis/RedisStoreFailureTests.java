package io.github.sessiongate.redis;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.store.StoreCircuitBreaker;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.RedisTestSessions;
import io.github.sessiongate.testsupport.RedisTestSessions.Kind;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What requests get when Redis fails, through two real Jetty nodes whose sessions (Spring
 * Session Data Redis) and ledger share one real {@code redis-server} that the tests kill,
 * restart empty, or pause past the command timeout: never a {@code 500}, the documented
 * answer of the store-failure policy, no waiting on a Redis known to be down, and service
 * again soon after Redis answers.
 */
class RedisStoreFailureTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(300);

	/** The guide promises service within 2 s of Redis answering again. */
	private static final Duration RECOVERY = Duration.ofSeconds(2);

	private final Resources resources = new Resources();

	private final String prefix = "failure:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@AfterEach
	void close() throws Exception {
		this.resources.close();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void redisKilledWhenPolicyAllowThenBothNodesServeAndServiceReturnsAfterAnEmptyRestart(Kind kind) throws Exception {
		RedisTestServer redis = this.resources.own(RedisTestServer.start());
		List<Node> nodes = twoNodes(kind, redis, StoreFailurePolicy.ALLOW);
		TestClient browser = new TestClient();
		assertThat(browser.get(nodes.get(0).uri()).statusCode()).isEqualTo(200);
		assertThat(browser.get(nodes.get(1).uri()).statusCode()).isEqualTo(200);

		redis.kill();
		List<Integer> statuses = new ArrayList<>();
		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			long start = System.nanoTime();
			statuses.add(browser.get(nodes.get(i % 2).uri()).statusCode());
			millis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
		}
		assertThat(statuses).containsOnly(200);
		// Spring Session's own loads that failed are counted with the gate's store errors
		for (Node node : nodes) {
			assertThat(node.gate().admin().storeErrors()).containsKey("session-load");
		}

		redis.restart();
		long recovery = awaitService(nodes, browser);
		report(kind + ", killed, allow", statuses, millis, nodes, recovery);
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void redisKilledWhenRestartedFromItsAppendOnlyFileThenSessionsAndTheirCountsCarryOn(Kind kind) throws Exception {
		RedisTestServer redis = this.resources
			.own(RedisTestServer.start("--appendonly", "yes", "--appendfsync", "always"));
		List<Node> nodes = twoNodes(kind, redis, StoreFailurePolicy.ALLOW);
		TestClient browser = new TestClient();
		TestClient duringOutage = new TestClient();
		for (Node node : nodes) {
			assertThat(browser.get(node.uri()).statusCode()).isEqualTo(200);
			assertThat(duringOutage.get(node.uri()).statusCode()).isEqualTo(200);
		}
		String sessionId = browser.sessionId();
		long requestsBefore = nodes.get(0).ledger().find(sessionId).requestCount();

		redis.kill();
		for (int i = 0; i < 10; i++) {
			assertThat(duringOutage.get(nodes.get(i % 2).uri()).statusCode()).isEqualTo(200);
		}
		redis.restart();
		for (Node node : nodes) {
			Await.until("service returned", RECOVERY, () -> node.servesTrackedSession(duringOutage));
		}

		// the session written before the crash is back, with its counts
		assertThat(browser.get(nodes.get(1).uri()).statusCode()).isEqualTo(200);
		assertThat(browser.sessionId()).isEqualTo(sessionId);
		Await.until("the request ended", () -> nodes.get(0).ledger().find(sessionId).activeRequests() == 0);
		assertThat(nodes.get(0).ledger().find(sessionId).requestCount()).isEqualTo(requestsBefore + 1);
		assertThat(RedisKeysProbe.liveLeases(nodes.get(0).connectionFactory(), this.prefix)).isZero();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void redisKilledWhenPolicyRejectThenBothNodesAnswer503ProblemAndServiceReturnsAfterAnEmptyRestart(Kind kind)
			throws Exception {
		RedisTestServer redis = this.resources.own(RedisTestServer.start());
		List<Node> nodes = twoNodes(kind, redis, StoreFailurePolicy.REJECT);
		TestClient browser = new TestClient();
		assertThat(browser.get(nodes.get(0).uri()).statusCode()).isEqualTo(200);

		redis.kill();
		List<Integer> statuses = new ArrayList<>();
		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			long start = System.nanoTime();
			HttpResponse<String> response = browser.get(nodes.get(i % 2).uri());
			statuses.add(response.statusCode());
			millis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(response.headers().firstValue("Retry-After")).isPresent();
			assertThat(response.body()).contains("store-unavailable");
		}
		HttpResponse<String> newVisitor = new TestClient().get(nodes.get(1).uri());
		assertThat(newVisitor.statusCode()).isEqualTo(503);
		assertThat(nodes.get(0).calls() + nodes.get(1).calls()).isEqualTo(1);

		redis.restart();
		long recovery = awaitService(nodes, browser);
		report(kind + ", killed, reject", statuses, millis, nodes, recovery);
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void redisPausedPastCommandTimeoutWhenPolicyAllowThenOnlyProbesWaitAndServiceReturnsAfterResume(Kind kind)
			throws Exception {
		RedisTestServer redis = this.resources.own(RedisTestServer.start());
		List<Node> nodes = twoNodes(kind, redis, StoreFailurePolicy.ALLOW);
		TestClient browser = new TestClient();
		assertThat(browser.get(nodes.get(0).uri()).statusCode()).isEqualTo(200);

		redis.pause();
		long pausedAt = System.nanoTime();
		List<Integer> statuses = new ArrayList<>();
		List<Long> millis = new ArrayList<>();
		try {
			for (int i = 0; i < 40; i++) {
				long start = System.nanoTime();
				statuses.add(browser.get(nodes.get(i % 2).uri()).statusCode());
				millis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
			}
		}
		finally {
			redis.resume();
		}
		long pausedMillis = Duration.ofNanos(System.nanoTime() - pausedAt).toMillis();

		assertThat(statuses).containsOnly(200);
		// once a node knows of the outage only its probes (one per open period) wait for
		// the command timeout; every other call is refused at once
		long openMillis = StoreCircuitBreaker.DEFAULT_OPEN_DURATION.toMillis();
		for (Node node : nodes) {
			assertThat(node.breaker().outages()).as("calls that waited for Redis")
				.isBetween(1L, 2 + pausedMillis / openMillis);
			assertThat(node.breaker().refusedCalls()).as("calls refused at once").isPositive();
		}
		long recovery = awaitService(nodes, browser);
		report(kind + ", paused, allow", statuses, millis, nodes, recovery);
	}

	/**
	 * Waits until both nodes serve tracked sessions again.
	 * @return milliseconds from Redis answering again until then
	 */
	private static long awaitService(List<Node> nodes, TestClient browser) {
		long answering = System.nanoTime();
		for (Node node : nodes) {
			Await.until("service returned", RECOVERY, () -> node.servesTrackedSession(browser));
		}
		return Duration.ofNanos(System.nanoTime() - answering).toMillis();
	}

	private static void report(String fault, List<Integer> statuses, List<Long> millis, List<Node> nodes,
			long recoveryMillis) {
		List<Long> sorted = millis.stream().sorted().toList();
		System.out.printf(
				"Redis %s: %d requests, statuses %s, latency median %d ms, max %d ms; calls that waited for Redis %d, "
						+ "refused at once %d; service back %d ms after Redis answered%n",
				fault, statuses.size(),
				new java.util.TreeMap<>(statuses.stream()
					.collect(java.util.stream.Collectors.groupingBy((status) -> status,
							java.util.stream.Collectors.counting()))),
				sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
				nodes.stream().mapToLong((node) -> node.breaker().outages()).sum(),
				nodes.stream().mapToLong((node) -> node.breaker().refusedCalls()).sum(), recoveryMillis);
	}

	/** Two app nodes on one Redis, as a load balancer would alternate them. */
	private List<Node> twoNodes(Kind kind, RedisTestServer redis, StoreFailurePolicy policy) {
		return List.of(node(kind, redis, policy), node(kind, redis, policy));
	}

	private Node node(Kind kind, RedisTestServer redis, StoreFailurePolicy policy) {
		LettuceConnectionFactory connectionFactory = this.resources
			.own(RedisSessionLedger.connectionFactory(redis.uri(), COMMAND_TIMEOUT), LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build();
		SessionRepository<? extends Session> sessions = RedisTestSessions.repository(kind, connectionFactory, ledger,
				this.prefix + "sessions", Duration.ofMinutes(30));
		SessionGate gate = this.resources
			.own(SessionGate.builder(GuardedSessionRepository.of(sessions, ledger.circuitBreaker(), policy))
				.ledger(ledger)
				.limits(SessionLimits.builder().maxConcurrentRequestsPerSession(2).build())
				.creationPolicy(CreationPolicy.ALWAYS)
				.storeFailurePolicy(policy)
				.sweepInterval(Duration.ZERO)
				.build());
		int[] calls = new int[1];
		JettyTestServer server = this.resources.own(JettyTestServer.start(gate.filter(), (context) -> JettyTestServer
			.servlet(context, "/hello", RedisGateIntegrationTests.servlet((request, response) -> {
				synchronized (calls) {
					calls[0]++;
				}
				request.getSession().setAttribute("seen", Boolean.TRUE);
				response.getWriter().print("hello");
			}))));
		return new Node(server, gate, ledger, sessions, calls, connectionFactory);
	}

	record Node(JettyTestServer server, SessionGate gate, RedisSessionLedger ledger, SessionRepository<?> sessions,
			int[] counter, LettuceConnectionFactory connectionFactory) {

		java.net.URI uri() {
			return this.server.uri("/hello");
		}

		StoreCircuitBreaker breaker() {
			return this.ledger.circuitBreaker();
		}

		int calls() {
			synchronized (this.counter) {
				return this.counter[0];
			}
		}

		/**
		 * Whether a request is served with its session stored in Redis and tracked by the
		 * ledger (the client may have been given a new session meanwhile).
		 */
		boolean servesTrackedSession(TestClient browser) {
			if (browser.get(uri()).statusCode() != 200) {
				return false;
			}
			String sessionId = browser.sessionId();
			try {
				return !breaker().isOpen() && this.sessions.findById(sessionId) != null
						&& this.ledger.find(sessionId) != null;
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

	}

}
