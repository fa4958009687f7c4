package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.events.StoreFailureEvent;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionOrigin;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Permits when Redis stalls and when nodes stop: a request whose admission timed out
 * holds no permit once Redis answers again, a node that shuts down frees its permits at
 * once, and a node that dies frees them after the lease time. Real {@code redis-server}
 * processes, paused with {@code SIGSTOP}.
 */
class RedisLeaseFaultTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(250);

	private final Resources resources = new Resources();

	private final String prefix = "lease:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@AfterEach
	void close() throws Exception {
		this.resources.close();
	}

	@Test
	void redisPausedPastCommandTimeoutUnderLoadThenNoLeaseIsLeftAndASequentialClientIsNeverRejected() throws Exception {
		RedisTestServer redis = own(RedisTestServer.start());
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();
		Node node = node(redis, limits, Duration.ofSeconds(30));
		TestClient sequential = new TestClient();
		assertThat(sequential.get(node.server.uri("/hello")).statusCode()).isEqualTo(200);
		AtomicBoolean stopLoad = new AtomicBoolean();
		AtomicBoolean stopSequential = new AtomicBoolean();
		AtomicInteger loadRequests = new AtomicInteger();
		List<Integer> sequentialStatuses = new java.util.concurrent.CopyOnWriteArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(7);
		List<Future<?>> load = new ArrayList<>();
		try {
			for (int i = 0; i < 6; i++) {
				load.add(executor.submit(() -> {
					TestClient client = new TestClient();
					while (!stopLoad.get()) {
						assertThat(client.get(node.server.uri("/hello")).statusCode()).isEqualTo(200);
						loadRequests.incrementAndGet();
					}
					return null;
				}));
			}
			Future<?> sequentialClient = executor.submit(() -> {
				while (!stopSequential.get()) {
					sequentialStatuses.add(sequential.get(node.server.uri("/hello")).statusCode());
				}
				return null;
			});
			Await.until("load runs", () -> loadRequests.get() > 50);

			redis.pause();
			long pausedAt = System.nanoTime();
			Await.until("requests timed out against the paused Redis", () -> node.storeFailures.get() >= 20
					&& System.nanoTime() - pausedAt > 4 * COMMAND_TIMEOUT.toNanos());
			int statusesBeforeResume = sequentialStatuses.size();
			redis.resume();
			long resumedAt = System.nanoTime();
			stopLoad.set(true);
			for (Future<?> future : load) {
				future.get(30, TimeUnit.SECONDS);
			}
			Await.until("the sequential client made 20 requests after the stall",
					() -> sequentialStatuses.size() >= statusesBeforeResume + 20);
			stopSequential.set(true);
			sequentialClient.get(30, TimeUnit.SECONDS);
			Await.until("no request in progress", () -> node.gate.activeRequests() == 0);
			long oneSecondAfter = resumedAt + Duration.ofSeconds(1).toNanos();
			while (System.nanoTime() - oneSecondAfter < 0) {
				Thread.sleep(Math.max(1, (oneSecondAfter - System.nanoTime()) / 1_000_000));
			}

			long leases = RedisKeysProbe.liveLeases(node.connectionFactory, this.prefix);
			System.out.printf(
					"Redis paused %d ms under load (command timeout %d ms): %d store failures, %d leases left 1 s "
							+ "after the stall, sequential client statuses %s%n",
					Duration.ofNanos(resumedAt - pausedAt).toMillis(), COMMAND_TIMEOUT.toMillis(),
					node.storeFailures.get(), leases, new java.util.TreeSet<>(sequentialStatuses));
			assertThat(leases).as("leases left 1 s after the stall ended").isZero();
			assertThat(sequentialStatuses).as("statuses of the sequential client").containsOnly(200);
			Await.until("every abandoned lease was released", () -> node.ledger.pendingReleases() == 0);
		}
		finally {
			stopLoad.set(true);
			stopSequential.set(true);
			executor.shutdownNow();
		}
	}

	@Test
	void ledgerWhenAdmissionDeadlineIsShorterThanARoundTripThenEachRequestIsAdmittedAndCountedOnce() {
		RedisTestServer redis = RedisTestServer.shared();
		LettuceConnectionFactory connectionFactory = own(
				RedisSessionLedger.connectionFactory(redis.uri(), Duration.ofSeconds(2)),
				LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = own(RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build());
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();
		String sessionId = UUID.randomUUID().toString();
		Admission first = ledger.begin(start(sessionId, limits));
		assertThat(first).isInstanceOf(Admission.Admitted.class);
		ledger.end(((Admission.Admitted) first).permit(), new io.github.sessiongate.ledger.RequestOutcome(1, false));

		// begin scripts that Redis runs after their deadline refuse; the node, which got
		// the reply after all, learns the clock offset again and retries once
		RedisSessionLedger strict = own(RedisSessionLedger.builder(connectionFactory)
			.keyPrefix(this.prefix)
			.admissionTimeout(Duration.ofMillis(1))
			.build());
		for (int i = 0; i < 20; i++) {
			Admission admission = strict.begin(start(sessionId, limits));
			assertThat(admission).isInstanceOf(Admission.Admitted.class);
			strict.end(((Admission.Admitted) admission).permit(),
					new io.github.sessiongate.ledger.RequestOutcome(1, false));
		}
		assertThat(RedisKeysProbe.liveLeases(connectionFactory, this.prefix)).isZero();
		assertThat(ledger.find(sessionId).requestCount()).isEqualTo(21);
	}

	@Test
	void beginScriptWhenPastItsDeadlineOrItsLeaseWasReleasedFirstThenTakesNothing() {
		LettuceConnectionFactory connectionFactory = own(
				RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(), Duration.ofSeconds(2)),
				LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = own(RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build());
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();
		String sessionId = UUID.randomUUID().toString();
		Admission first = ledger.begin(start(sessionId, limits));
		ledger.end(((Admission.Admitted) first).permit(), new io.github.sessiongate.ledger.RequestOutcome(1, false));
		RedisKeys keys = new RedisKeys(this.prefix);
		RedisScripts scripts = new RedisScripts(
				new RedisStore(connectionFactory, null, io.github.sessiongate.store.StoreCircuitBreaker.of("test")),
				keys);
		// Redis runs the script after the deadline the node gave it
		assertThat(scripts.admitRequest(sessionId, admission("lease-a", 1)))
			.isInstanceOf(RedisScripts.AdmitReply.Late.class);

		// the node gave up and released the lease before Redis ran the script
		assertThat(scripts.releaseLease(sessionId, "lease-b", true)).isFalse();
		assertThat(scripts.admitRequest(sessionId, admission("lease-b", 0)))
			.isInstanceOf(RedisScripts.AdmitReply.Cancelled.class);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.hashCommands().hExists(keys.session(sessionId), bytes("x:lease-b"))).isFalse();
		}
		assertThat(RedisKeysProbe.liveLeases(connectionFactory, this.prefix)).isZero();
		assertThat(ledger.find(sessionId).requestCount()).isEqualTo(1);
		Admission next = ledger.begin(start(sessionId, limits));
		assertThat(next).isInstanceOf(Admission.Admitted.class);
	}

	private static RedisScripts.AdmissionArgs admission(String leaseId, long deadline) {
		return new RedisScripts.AdmissionArgs("", System.currentTimeMillis() * 1000, 1_800_000, 60_000, 0, 1, 0, 0,
				30_000, leaseId, false, deadline, 600_000, SessionOrigin.NONE);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void gateWhenClosedWhileARequestRunsThenOtherNodesAdmitTheSessionAtOnce() throws Exception {
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();
		Node closing = node(RedisTestServer.shared(), limits, Duration.ofSeconds(30));
		Node staying = node(RedisTestServer.shared(), limits, Duration.ofSeconds(30));
		TestClient browser = new TestClient();
		assertThat(browser.get(closing.server.uri("/hello")).statusCode()).isEqualTo(200);
		String sessionId = browser.sessionId();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Integer> blocked = executor.submit(() -> browser.get(closing.server.uri("/block")).statusCode());
			Await.until("the request holds the permit", () -> staying.ledger.find(sessionId).activeRequests() == 1);
			assertThat(browser.get(staying.server.uri("/hello")).statusCode()).isEqualTo(429);

			closing.gate.close();

			assertThat(RedisKeysProbe.liveLeases(staying.connectionFactory, this.prefix)).isZero();
			assertThat(browser.get(staying.server.uri("/hello")).statusCode()).isEqualTo(200);
			closing.release.countDown();
			assertThat(blocked.get(30, TimeUnit.SECONDS)).isEqualTo(200);
		}
		finally {
			closing.release.countDown();
			executor.shutdownNow();
		}
	}

	@Test
	void nodeWhenKilledHoldingThePermitThenSessionIsAdmittedAgainWithinOneLeaseTime() throws Exception {
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();
		Node live = node(RedisTestServer.shared(), limits, Duration.ofSeconds(30));
		TestClient browser = new TestClient();
		browser.get(live.server.uri("/hello"));
		String sessionId = browser.sessionId();
		// a node takes the session's only permit and dies: its connection goes, nothing
		// is renewed or released
		Duration leaseTime = Duration.ofMillis(600);
		LettuceConnectionFactory deadConnection = RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(),
				Duration.ofSeconds(2));
		RedisSessionLedger dead = own(
				RedisSessionLedger.builder(deadConnection).keyPrefix(this.prefix).leaseTime(leaseTime).build());
		long takenAt = System.nanoTime();
		Admission taken = dead.begin(start(sessionId, limits));
		assertThat(taken).isInstanceOf(Admission.Admitted.class);
		deadConnection.destroy();

		assertThat(browser.get(live.server.uri("/hello")).statusCode()).isEqualTo(429);
		Await.until("the dead node's lease expired", Duration.ofSeconds(5),
				() -> browser.get(live.server.uri("/hello")).statusCode() == 200);

		// not freed before the lease ran out (it runs from the begin script, by Redis's
		// clock: allow that clock's millisecond steps)
		assertThat(Duration.ofNanos(System.nanoTime() - takenAt)).isGreaterThanOrEqualTo(leaseTime.minusMillis(20));
		Await.until("the request ended", () -> live.ledger.find(sessionId).activeRequests() == 0);
	}

	private static RequestStart start(String sessionId, SessionLimits limits) {
		return new RequestStart(sessionId, null, Instant.now(), Duration.ofMinutes(30), limits);
	}

	/**
	 * One app node: its own connection, ledger, gate and Jetty. Sessions live in Redis
	 * (shared by the nodes) on the shared server, in memory on a server of the test's own
	 * (so that only the ledger meets its faults).
	 */
	private Node node(RedisTestServer redis, SessionLimits limits, Duration leaseTime) {
		LettuceConnectionFactory connectionFactory = own(
				RedisSessionLedger.connectionFactory(redis.uri(), COMMAND_TIMEOUT), LettuceConnectionFactory::destroy);
		SessionRepository<? extends Session> sessions = (redis == RedisTestServer.shared())
				? RedisGateIntegrationTests.redisSessions(connectionFactory, this.prefix + "sessions")
				: new MapSessionRepository(new ConcurrentHashMap<>());
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory)
			.keyPrefix(this.prefix)
			.leaseTime(leaseTime)
			.build();
		AtomicInteger storeFailures = new AtomicInteger();
		SessionGate gate = own(SessionGate.builder(sessions)
			.ledger(ledger)
			.limits(limits)
			.creationPolicy(CreationPolicy.ALWAYS)
			.storeFailurePolicy(StoreFailurePolicy.ALLOW)
			.sweepInterval(Duration.ZERO)
			.listener((event) -> {
				if (event instanceof StoreFailureEvent) {
					storeFailures.incrementAndGet();
				}
			})
			.build());
		CountDownLatch release = new CountDownLatch(1);
		JettyTestServer server = own(JettyTestServer.start(gate.filter(), (context) -> {
			JettyTestServer.servlet(context, "/hello",
					RedisGateIntegrationTests.servlet((request, response) -> response.getWriter().print("hello")));
			JettyTestServer.servlet(context, "/block", RedisGateIntegrationTests.servlet((request, response) -> {
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				response.getWriter().print("done");
			}));
		}));
		return new Node(server, gate, ledger, connectionFactory, storeFailures, release);
	}

	private <T extends AutoCloseable> T own(T resource) {
		return this.resources.own(resource);
	}

	private <T> T own(T resource, java.util.function.Consumer<T> closer) {
		return this.resources.own(resource, closer);
	}

	record Node(JettyTestServer server, SessionGate gate, RedisSessionLedger ledger,
			LettuceConnectionFactory connectionFactory, AtomicInteger storeFailures, CountDownLatch release) {
	}

}
