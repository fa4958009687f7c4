package io.github.sessiongate.web;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.github.sessiongate.store.StoreUnavailableException;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request the gate counts as active is released exactly once, whatever fails: the
 * session store at load, at save or at the request's end, a resolver, writing a refusal.
 * Each failure is made on purpose behind a real Jetty; afterwards the node's count of
 * active requests ({@code sessiongate.requests.active}) is exactly 0 and a burst up to
 * {@code max-active-requests} is still admitted.
 */
class RequestReleaseIntegrationTests {

	private static final int MAX_ACTIVE = 4;

	private static final int FAILED_REQUESTS = 3 * MAX_ACTIVE;

	private final Resources resources = new Resources();

	private final TestApp app = this.resources.own(new TestApp(), TestApp::close);

	private final FailingSessions sessions = new FailingSessions();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private SessionGate gate;

	private JettyTestServer server;

	@AfterEach
	void close() throws Exception {
		this.resources.close();
	}

	private void start(UnaryOperator<SessionGate.Builder> customizer) {
		SessionGate.Builder builder = SessionGate.builder(this.sessions)
			.creationPolicy(CreationPolicy.ALWAYS)
			.limits(SessionLimits.builder().maxActiveRequests(MAX_ACTIVE).build())
			.sweepInterval(Duration.ZERO);
		this.gate = this.resources.own(customizer.apply(builder).build());
		new SessionGateMetrics(this.gate).bindTo(this.registry);
		this.server = this.resources.own(this.app.start(this.gate.filter()));
	}

	@Test
	void sessionLoadWhenStoreUnavailableAndPolicyRejectThen503AndNoRequestStaysActive() throws Exception {
		start((builder) -> builder.storeFailurePolicy(StoreFailurePolicy.REJECT));
		TestClient browser = new TestClient();
		assertThat(browser.get(this.server.uri("/context")).statusCode()).isEqualTo(200);

		this.sessions.failLoads = new StoreUnavailableException("Redis is down");
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < FAILED_REQUESTS; i++) {
			HttpResponse<String> response = browser.get(this.server.uri("/context"));
			statuses.add(response.statusCode());
			assertThat(response.body()).contains("store-unavailable");
		}
		this.sessions.failLoads = null;

		assertThat(statuses).containsOnly(503);
		assertThat(this.app.calls.get()).isEqualTo(1);
		assertNothingActive();
		assertThat(this.gate.admin().session(browser.sessionId()).orElseThrow().requestCount()).isEqualTo(1);
		assertBurstUpToMaxActiveIsAdmitted();
		assertThat(browser.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
		assertThat(this.gate.rejections(Limit.CAPACITY)).isZero();
	}

	@Test
	void sessionLoadWhenRepositoryFailsOtherwiseThen500AndNoRequestStaysActive() throws Exception {
		start((builder) -> builder);
		TestClient browser = new TestClient();
		assertThat(browser.get(this.server.uri("/context")).statusCode()).isEqualTo(200);

		this.sessions.failLoads = new IllegalStateException("cannot deserialize the session");
		for (int i = 0; i < FAILED_REQUESTS; i++) {
			assertThat(browser.get(this.server.uri("/context")).statusCode()).isEqualTo(500);
		}
		this.sessions.failLoads = null;

		assertThat(this.app.calls.get()).isEqualTo(1);
		assertNothingActive();
		assertBurstUpToMaxActiveIsAdmitted();
	}

	@Test
	void resolverWhenItThrowsThen500AndNoRequestStaysActive() throws Exception {
		start((builder) -> builder.userIdResolver((request) -> {
			if (request.getHeader("X-Broken") != null) {
				throw new IllegalStateException("the security context cannot be read");
			}
			return null;
		}));
		TestClient browser = new TestClient();
		for (int i = 0; i < FAILED_REQUESTS; i++) {
			assertThat(browser.get(this.server.uri("/context"), Map.of("X-Broken", "yes")).statusCode()).isEqualTo(500);
		}

		assertThat(this.app.calls.get()).isZero();
		assertNothingActive();
		assertBurstUpToMaxActiveIsAdmitted();
	}

	@Test
	void refusalWhenWritingItFailsAfterTheSessionWasAdmittedThenSessionAndNodeReleaseTheRequest() throws Exception {
		RejectionHandler problems = new ProblemJsonRejectionHandler();
		start((builder) -> builder.userIdResolver((request) -> request.getHeader("X-User"))
			.limits(SessionLimits.builder()
				.maxActiveRequests(MAX_ACTIVE)
				.maxConcurrentRequestsPerSession(1)
				.maxSessionsPerUser(1)
				.sessionsPerUserPolicy(SessionsPerUserPolicy.REJECT_NEW)
				.build())
			.rejectionHandler((request, response, problem) -> {
				if (problem.limit() == Limit.SESSIONS_PER_USER) {
					// the client went away while the refusal was written
					throw new IOException("Broken pipe");
				}
				problems.reject(request, response, problem);
			}));
		TestClient first = new TestClient();
		TestClient second = new TestClient();
		assertThat(first.get(this.server.uri("/context"), Map.of("X-User", "alice")).statusCode()).isEqualTo(200);
		assertThat(second.get(this.server.uri("/context")).statusCode()).isEqualTo(200);

		// the second session is admitted, then refused: alice has a session already
		for (int i = 0; i < FAILED_REQUESTS; i++) {
			assertThat(second.get(this.server.uri("/context"), Map.of("X-User", "alice")).statusCode()).isEqualTo(500);
		}

		assertThat(this.app.calls.get()).isEqualTo(2);
		assertNothingActive();
		SessionStats refused = this.gate.admin().session(second.sessionId()).orElseThrow();
		assertThat(refused.activeRequests()).isZero();
		assertThat(refused.requestCount()).isEqualTo(1 + FAILED_REQUESTS);
		assertThat(this.gate.rejections(Limit.SESSIONS_PER_USER)).isEqualTo(FAILED_REQUESTS);
		assertBurstUpToMaxActiveIsAdmitted();
		// at a concurrency limit of 1, the session serves again: none of its refused
		// requests is still counted in it
		assertThat(second.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
	}

	@Test
	void sessionSaveWhenRepositoryFailsThenNoRequestStaysActive() throws Exception {
		start((builder) -> builder);
		this.sessions.failSaves = new IllegalStateException("cannot serialize the session");
		for (int i = 0; i < FAILED_REQUESTS; i++) {
			new TestClient().get(this.server.uri("/context"));
		}
		this.sessions.failSaves = null;

		assertThat(this.app.calls.get()).isEqualTo(FAILED_REQUESTS);
		assertNothingActive();
		assertBurstUpToMaxActiveIsAdmitted();
	}

	@Test
	void requestEndWhenLedgerFailsThenNoRequestStaysActive() throws Exception {
		FailingLedger ledger = new FailingLedger(new InMemorySessionLedger(Clock.systemUTC(), Duration.ofMinutes(5)));
		start((builder) -> builder.ledger(ledger.proxy()));
		TestClient browser = new TestClient();
		ledger.failEnds = new StoreUnavailableException("Redis is down");
		for (int i = 0; i < FAILED_REQUESTS; i++) {
			assertThat(browser.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
		}
		ledger.failEnds = null;

		assertThat(this.gate.admin().storeErrors()).containsEntry("end", (long) FAILED_REQUESTS);
		assertNothingActive();
		assertBurstUpToMaxActiveIsAdmitted();
	}

	@Test
	void asyncRequestWhenApplicationThrowsAfterStartingAsyncThenReleasedOnceAsAnError() throws Exception {
		start((builder) -> builder);
		TestClient browser = new TestClient();
		assertThat(browser.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
		for (int i = 0; i < FAILED_REQUESTS; i++) {
			assertThat(browser.get(this.server.uri("/async-fail")).statusCode()).isEqualTo(500);
		}

		assertNothingActive();
		SessionStats stats = this.gate.admin().session(browser.sessionId()).orElseThrow();
		assertThat(stats.activeRequests()).isZero();
		assertThat(stats.requestCount()).isEqualTo(1 + FAILED_REQUESTS);
		assertThat(stats.errorCount()).isEqualTo(FAILED_REQUESTS);
		assertBurstUpToMaxActiveIsAdmitted();
	}

	private void assertNothingActive() {
		Await.until("no request in progress", () -> this.gate.activeRequests() == 0);
		assertThat(this.gate.admin().summary().activeRequests()).isZero();
		assertThat(this.registry.get(SessionGateMetrics.REQUESTS_ACTIVE).gauge().value()).isZero();
	}

	/**
	 * Holds {@link #MAX_ACTIVE} requests of new visitors inside the application at once:
	 * the node admits them all, and counts each exactly once.
	 */
	private void assertBurstUpToMaxActiveIsAdmitted() throws Exception {
		int callsBefore = this.app.calls.get();
		this.app.gate = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(MAX_ACTIVE);
		try {
			List<Future<HttpResponse<String>>> held = new ArrayList<>();
			for (int i = 0; i < MAX_ACTIVE; i++) {
				TestClient client = new TestClient();
				held.add(executor.submit(() -> client.get(this.server.uri("/slow"))));
			}
			Await.until("the burst inside", () -> this.app.inside.get() == MAX_ACTIVE);
			assertThat(this.gate.activeRequests()).isEqualTo(MAX_ACTIVE);
			assertThat(this.registry.get(SessionGateMetrics.REQUESTS_ACTIVE).gauge().value()).isEqualTo(MAX_ACTIVE);
			this.app.gate.countDown();
			for (Future<HttpResponse<String>> response : held) {
				assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			}
		}
		finally {
			this.app.gate.countDown();
			executor.shutdownNow();
		}
		assertThat(this.app.calls.get()).isEqualTo(callsBefore + MAX_ACTIVE);
		assertNothingActive();
	}

	/**
	 * Sessions in a map, with loads or saves failing while a test says so.
	 */
	static final class FailingSessions implements SessionRepository<MapSession> {

		private final MapSessionRepository delegate = new MapSessionRepository(new ConcurrentHashMap<>());

		volatile RuntimeException failLoads;

		volatile RuntimeException failSaves;

		@Override
		public MapSession createSession() {
			return this.delegate.createSession();
		}

		@Override
		public void save(MapSession session) {
			RuntimeException failure = this.failSaves;
			if (failure != null) {
				throw failure;
			}
			this.delegate.save(session);
		}

		@Override
		public MapSession findById(String id) {
			RuntimeException failure = this.failLoads;
			if (failure != null) {
				throw failure;
			}
			return this.delegate.findById(id);
		}

		@Override
		public void deleteById(String id) {
			this.delegate.deleteById(id);
		}

	}

	/**
	 * A ledger whose request ends fail while a test says so (as a Redis ledger's do when
	 * Redis went away during the request).
	 */
	static final class FailingLedger {

		private final SessionLedger delegate;

		volatile RuntimeException failEnds;

		FailingLedger(SessionLedger delegate) {
			this.delegate = delegate;
		}

		SessionLedger proxy() {
			return (SessionLedger) Proxy.newProxyInstance(SessionLedger.class.getClassLoader(),
					new Class<?>[] { SessionLedger.class }, (proxy, method, arguments) -> {
						RuntimeException failure = this.failEnds;
						if (failure != null && method.getName().equals("end")) {
							throw failure;
						}
						try {
							return method.invoke(this.delegate, arguments);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

	}

}
