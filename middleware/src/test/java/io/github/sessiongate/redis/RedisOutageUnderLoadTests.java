package io.github.sessiongate.redis;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.RedisTestSessions;
import io.github.sessiongate.testsupport.RedisTestSessions.Kind;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis killed under load, with {@code max-active-requests} set: two real Jetty nodes
 * share one real {@code redis-server}, many clients (one session each) keep both busy,
 * Redis is killed, answers are taken during the outage, Redis comes back empty. Whatever
 * failed on the way (loads, admissions, saves, request ends, under {@code allow} or
 * {@code reject}, with either session repository), afterwards no node counts a request as
 * active ({@code sessiongate.requests.active} and the admin summary are exactly 0), and
 * each node serves normally: a sequential client gets only {@code 200}s and a burst up to
 * {@code max-active-requests} is admitted whole.
 */
class RedisOutageUnderLoadTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(300);

	private static final int MAX_ACTIVE = 8;

	private static final int CLIENTS = 16;

	/** Answers to see in each phase: before the outage, during it, after it. */
	private static final int ANSWERS_PER_PHASE = 300;

	/** No client sends more than this, whatever happens. */
	private static final int MAX_REQUESTS_PER_CLIENT = 5_000;

	private static final Duration PHASE_DEADLINE = Duration.ofSeconds(60);

	private static final String OK = "200";

	private static final String CAPACITY = "503 capacity";

	private static final String STORE_UNAVAILABLE = "503 store-unavailable";

	private final Resources resources = new Resources();

	private final String prefix = "outage:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@AfterEach
	void close() throws Exception {
		this.resources.close();
	}

	static Stream<Arguments> repositoriesAndPolicies() {
		return Stream.of(Kind.values())
			.flatMap((kind) -> Stream.of(StoreFailurePolicy.values()).map((policy) -> Arguments.of(kind, policy)));
	}

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("repositoriesAndPolicies")
	void redisKilledUnderLoadThenNoRequestStaysActiveAndBothNodesServeAgain(Kind kind, StoreFailurePolicy policy)
			throws Exception {
		RedisTestServer redis = this.resources.own(RedisTestServer.start());
		List<Node> nodes = List.of(node(kind, redis, policy), node(kind, redis, policy));
		Load load = new Load(nodes);
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		long serviceBackMillis;
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				running.add(clients.submit(load::client));
			}
			load.awaitAnswers(Phase.BEFORE);
			redis.kill();
			load.phase = Phase.OUTAGE;
			load.awaitAnswers(Phase.OUTAGE);
			redis.restart();
			long restartedAt = System.nanoTime();
			load.phase = Phase.AFTER;
			for (Node node : nodes) {
				Await.until("service with sessions in Redis again (requests counted as active now: "
						+ node.gate().activeRequests() + ")", PHASE_DEADLINE, node::servesTrackedSession);
			}
			serviceBackMillis = Duration.ofNanos(System.nanoTime() - restartedAt).toMillis();
			load.awaitAnswers(Phase.AFTER);
			load.stop = true;
			for (Future<?> client : running) {
				client.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			load.stop = true;
			clients.shutdownNow();
		}
		System.out.printf("Redis killed under load (%s, %s): %s; service back %d ms after the restart%n", kind, policy,
				load.report(), serviceBackMillis);

		for (Node node : nodes) {
			Await.until("no request in progress", () -> node.gate().activeRequests() == 0);
			assertThat(node.gate().admin().summary().activeRequests()).isZero();
			assertThat(node.activeGauge()).isZero();
		}
		// never a 500, whatever failed: the policy's answer or a refusal at capacity
		String refusedByPolicy = (policy == StoreFailurePolicy.REJECT) ? STORE_UNAVAILABLE : CAPACITY;
		assertThat(load.answers(Phase.OUTAGE).keySet()).containsAnyOf(OK, refusedByPolicy)
			.isSubsetOf(OK, CAPACITY, refusedByPolicy);
		assertThat(load.answers(Phase.AFTER).keySet()).contains(OK).isSubsetOf(OK, CAPACITY, refusedByPolicy);
		assertThat(load.failures.sum()).isZero();
		TestClient sequential = new TestClient();
		for (int i = 0; i < 20; i++) {
			assertThat(sequential.get(nodes.get(i % 2).uri("/hello")).statusCode()).isEqualTo(200);
		}
		for (Node node : nodes) {
			assertBurstUpToMaxActiveIsAdmitted(node);
		}
	}

	private static void assertBurstUpToMaxActiveIsAdmitted(Node node) throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		node.release = release;
		ExecutorService executor = Executors.newFixedThreadPool(MAX_ACTIVE);
		try {
			List<Future<HttpResponse<String>>> held = new ArrayList<>();
			for (int i = 0; i < MAX_ACTIVE; i++) {
				TestClient client = new TestClient();
				held.add(executor.submit(() -> client.get(node.uri("/hold"))));
			}
			Await.until("the burst inside", () -> node.held.get() == MAX_ACTIVE);
			assertThat(node.gate().activeRequests()).isEqualTo(MAX_ACTIVE);
			assertThat(node.activeGauge()).isEqualTo(MAX_ACTIVE);
			release.countDown();
			for (Future<HttpResponse<String>> response : held) {
				assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			}
		}
		finally {
			release.countDown();
			executor.shutdownNow();
		}
		Await.until("the burst ended", () -> node.gate().activeRequests() == 0);
		assertThat(node.activeGauge()).isZero();
	}

	private Node node(Kind kind, RedisTestServer redis, StoreFailurePolicy policy) {
		LettuceConnectionFactory connectionFactory = this.resources
			.own(RedisSessionLedger.connectionFactory(redis.uri(), COMMAND_TIMEOUT), LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build();
		SessionRepository<? extends Session> sessions = RedisTestSessions.repository(kind, connectionFactory, ledger,
				this.prefix + "sessions", Duration.ofMinutes(30));
		SessionGate gate = this.resources.own(SessionGate
			.builder(GuardedSessionRepository.of(sessions, ledger.circuitBreaker(), policy))
			.ledger(ledger)
			.limits(SessionLimits.builder().maxActiveRequests(MAX_ACTIVE).maxConcurrentRequestsPerSession(2).build())
			.creationPolicy(CreationPolicy.ALWAYS)
			.storeFailurePolicy(policy)
			.sweepInterval(Duration.ZERO)
			.build());
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new SessionGateMetrics(gate).bindTo(registry);
		Node node = new Node(gate, ledger, registry);
		node.server = this.resources.own(JettyTestServer.start(gate.filter(), (context) -> {
			JettyTestServer.servlet(context, "/hello", (request, response) -> {
				Integer count = (Integer) request.getSession().getAttribute("count");
				request.getSession().setAttribute("count", (count != null) ? count + 1 : 1);
				response.getWriter().print("hello");
			});
			JettyTestServer.servlet(context, "/hold", (request, response) -> {
				node.held.incrementAndGet();
				try {
					node.release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					node.held.decrementAndGet();
				}
				response.getWriter().print("held");
			});
		}));
		return node;
	}

	enum Phase {

		BEFORE, OUTAGE, AFTER

	}

	/** Clients with a session each, alternating between the nodes until told to stop. */
	static final class Load {

		private final List<Node> nodes;

		private final Map<Phase, Map<String, LongAdder>> answers = new ConcurrentHashMap<>();

		final LongAdder failures = new LongAdder();

		volatile Phase phase = Phase.BEFORE;

		volatile boolean stop;

		Load(List<Node> nodes) {
			this.nodes = nodes;
		}

		void client() {
			TestClient client = new TestClient();
			for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !this.stop; i++) {
				Phase current = this.phase;
				try {
					String answer = answer(client.get(this.nodes.get(i % 2).uri("/hello")));
					this.answers.computeIfAbsent(current, (key) -> new ConcurrentHashMap<>())
						.computeIfAbsent(answer, (key) -> new LongAdder())
						.increment();
				}
				catch (UncheckedIOException ex) {
					this.failures.increment();
				}
			}
		}

		void awaitAnswers(Phase phase) {
			try {
				Await.until(ANSWERS_PER_PHASE + " answers " + phase, PHASE_DEADLINE,
						() -> answers(phase).values().stream().mapToLong(Long::longValue).sum() >= ANSWERS_PER_PHASE);
			}
			catch (AssertionError ex) {
				throw new AssertionError(ex.getMessage() + "; seen " + report(), ex);
			}
		}

		Map<String, Long> answers(Phase phase) {
			Map<String, Long> counts = new TreeMap<>();
			this.answers.getOrDefault(phase, Map.of()).forEach((answer, count) -> counts.put(answer, count.sum()));
			return counts;
		}

		String report() {
			return "before " + answers(Phase.BEFORE) + ", during the outage " + answers(Phase.OUTAGE) + ", after "
					+ answers(Phase.AFTER) + ", client errors " + this.failures.sum();
		}

		/** The status, with the problem's limit or type for a refusal. */
		private static String answer(HttpResponse<String> response) {
			int status = response.statusCode();
			if (status == 200) {
				return OK;
			}
			if (response.body().contains("\"limit\":\"capacity\"")) {
				return CAPACITY;
			}
			if (response.body().contains("store-unavailable")) {
				return STORE_UNAVAILABLE;
			}
			return status + " " + response.body();
		}

	}

	/** One gate node on Jetty, its meters and the requests its {@code /hold} holds. */
	static final class Node {

		private final SessionGate gate;

		private final RedisSessionLedger ledger;

		private final SimpleMeterRegistry registry;

		final AtomicInteger held = new AtomicInteger();

		volatile CountDownLatch release = new CountDownLatch(0);

		JettyTestServer server;

		Node(SessionGate gate, RedisSessionLedger ledger, SimpleMeterRegistry registry) {
			this.gate = gate;
			this.ledger = ledger;
			this.registry = registry;
		}

		SessionGate gate() {
			return this.gate;
		}

		java.net.URI uri(String path) {
			return this.server.uri(path);
		}

		/** Whether a new visitor is served with a session the ledger tracks in Redis. */
		boolean servesTrackedSession() {
			TestClient visitor = new TestClient();
			if (visitor.get(uri("/hello")).statusCode() != 200) {
				return false;
			}
			try {
				return this.ledger.find(visitor.sessionId()) != null;
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

		double activeGauge() {
			return this.registry.get(SessionGateMetrics.REQUESTS_ACTIVE).gauge().value();
		}

	}

}
