package io.github.sessiongate.web;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.ErrorRatePolicy;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.EventStreamClient;
import io.github.sessiongate.testsupport.EventStreams;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams on a real Jetty with the in-memory ledger: counted apart from ordinary
 * requests, limited on their own, keeping their session alive, closed when the session
 * ends, measured apart.
 */
class StreamIntegrationTests {

	/** The bound this node closes a stream within after its session ended here. */
	private static final Duration LOCAL_CLOSE_BOUND = Duration.ofSeconds(2);

	private final Map<String, org.springframework.session.Session> sessions = new ConcurrentHashMap<>();

	private final MapSessionRepository repository = new MapSessionRepository(this.sessions);

	private final EventStreams events = new EventStreams();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final TestClient client = new TestClient();

	private SessionGate gate;

	private JettyTestServer server;

	private void start(SessionLimits limits) {
		start(limits, Duration.ofMinutes(30), Duration.ofSeconds(2));
	}

	private void start(SessionLimits limits, Duration idleTimeout, Duration checkInterval) {
		this.repository.setDefaultMaxInactiveInterval(idleTimeout);
		this.gate = SessionGate.builder(this.repository)
			.creationPolicy(CreationPolicy.ALWAYS)
			.limits(limits)
			.sweepInterval(Duration.ofMillis(200))
			.streamCheckInterval(checkInterval)
			.streamPaths("/download/**")
			.build();
		new SessionGateMetrics(this.gate).bindTo(this.meters);
		this.server = JettyTestServer.start(this.gate.filter(), (context) -> {
			JettyTestServer.servlet(context, "/context", (request, response) -> {
				response.getWriter().write(request.getSession().getId());
			});
			JettyTestServer.servlet(context, "/logout", (request, response) -> request.getSession().invalidate());
			JettyTestServer.servlet(context, "/login",
					(request, response) -> this.gate.bindUser(request, request.getParameter("user")));
			JettyTestServer.servlet(context, "/fail", (request, response) -> response.sendError(500));
			JettyTestServer.servlet(context, "/events", this.events::open);
			JettyTestServer.servlet(context, "/download/*", this.events::open);
		});
		assertThat(this.client.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
	}

	@AfterEach
	void stop() {
		this.events.close();
		if (this.server != null) {
			this.server.close();
		}
		if (this.gate != null) {
			this.gate.close();
		}
	}

	private SessionStats stats() {
		return this.gate.admin().session(this.client.sessionId()).orElseThrow();
	}

	private EventStreamClient openStream(String path) {
		EventStreamClient stream = EventStreamClient.open(this.client, this.server.uri(path));
		assertThat(stream.statusCode()).isEqualTo(200);
		stream.awaitLine("data: open");
		return stream;
	}

	@Test
	void streamWhenOpenThenSessionMakesHundredSequentialRequestsAtConcurrencyLimitOne() {
		start(SessionLimits.builder().maxConcurrentRequestsPerSession(1).maxActiveRequests(1).build());
		try (EventStreamClient stream = openStream("/events")) {
			for (int i = 0; i < 100; i++) {
				assertThat(this.client.get(this.server.uri("/context")).statusCode()).as("request %d", i)
					.isEqualTo(200);
			}
			assertThat(stream.isOpen()).isTrue();
			SessionStats stats = stats();
			assertThat(stats.openStreams()).isEqualTo(1);
			assertThat(stats.streamCount()).isEqualTo(1);
			assertThat(stats.activeRequests()).isZero();
			assertThat(stats.requestCount()).isEqualTo(101);
			assertThat(this.gate.activeStreams()).isEqualTo(1);
			assertThat(this.gate.activeRequests()).isZero();
			assertThat(this.gate.rejections(Limit.SESSION_CONCURRENCY)).isZero();
			assertThat(this.gate.rejections(Limit.CAPACITY)).isZero();
		}
	}

	@Test
	void streamWhenBeyondMaxStreamsPerSessionThen429SessionStreams() {
		start(SessionLimits.builder().maxStreamsPerSession(1).build());
		try (EventStreamClient first = openStream("/events")) {
			EventStreamClient second = EventStreamClient.open(this.client, this.server.uri("/events"));
			second.awaitEnd(Duration.ofSeconds(5));

			assertThat(second.statusCode()).isEqualTo(429);
			assertThat(second.body()).contains("\"limit\":\"session-streams\"");
			assertThat(this.gate.rejections(Limit.SESSION_STREAMS)).isEqualTo(1);
			assertThat(counted(Limit.SESSION_STREAMS)).isEqualTo(1.0);
			assertThat(stats().openStreams()).isEqualTo(1);
			// a path in streams.paths is a stream too
			HttpResponse<String> download = this.client.get(this.server.uri("/download/report"));
			assertThat(download.statusCode()).isEqualTo(429);
			assertThat(first.isOpen()).isTrue();
		}
	}

	@Test
	void streamWhenBeyondMaxActiveStreamsThen503StreamCapacityAndRequestsStillServed() {
		start(SessionLimits.builder().maxActiveStreams(1).maxActiveRequests(1).build());
		try (EventStreamClient first = openStream("/events")) {
			assertThat(first.isOpen()).isTrue();
			TestClient other = new TestClient();
			EventStreamClient refused = EventStreamClient.open(other, this.server.uri("/events"));
			refused.awaitEnd(Duration.ofSeconds(5));

			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.body()).contains("\"limit\":\"stream-capacity\"");
			assertThat(counted(Limit.STREAM_CAPACITY)).isEqualTo(1.0);
			assertThat(other.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
		}
	}

	@Test
	void streamWhenOpenPastIdleTimeoutThenSessionStaysAliveAndLastAccessNeverMovesBack() {
		start(SessionLimits.none(), Duration.ofSeconds(4), Duration.ofMillis(200));
		String id = this.client.sessionId();
		Instant before;
		try (EventStreamClient stream = openStream("/events")) {
			long until = System.nanoTime() + Duration.ofSeconds(9).toNanos();
			Await.until("9 seconds, more than twice the idle timeout, with the session live", Duration.ofSeconds(20),
					() -> {
						assertThat(this.sessions).containsKey(id);
						assertThat(stats().status()).isEqualTo(SessionStatus.ACTIVE);
						return System.nanoTime() > until;
					});
			assertThat(this.repository.findById(id)).isNotNull();
			before = Instant.now();
			this.gate.admin().endSession(id, SessionStatus.COMPLETED, "test");
			stream.awaitEnd(LOCAL_CLOSE_BOUND);
		}
		// the stream's own end did not write the session's start time back
		MapSession stored = (MapSession) this.sessions.get(id);
		if (stored != null) {
			assertThat(stored.getLastAccessedTime()).isAfterOrEqualTo(before.minusSeconds(1));
		}
	}

	@Test
	void streamWhenEndedNormallyAfterIdleTimeoutThenLastAccessIsTheStreamsEnd() {
		start(SessionLimits.none(), Duration.ofSeconds(4), Duration.ofMillis(200));
		String id = this.client.sessionId();
		try (EventStreamClient stream = openStream("/events")) {
			long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			Await.until("5 seconds, past the idle timeout", Duration.ofSeconds(10), () -> System.nanoTime() > until);
			Instant closing = Instant.now();
			this.events.completeAll();
			stream.awaitEnd(Duration.ofSeconds(5));
			Await.until("the stream released", () -> this.gate.activeStreams() == 0);
			assertThat(this.repository.findById(id).getLastAccessedTime()).isAfterOrEqualTo(closing.minusMillis(500));
		}
		assertThat(this.client.get(this.server.uri("/context")).body()).isEqualTo(id);
	}

	@Test
	void streamWhenSessionEndedByAdminThenClosedNormallyAndCountsBackToZero() {
		start(SessionLimits.builder().maxStreamsPerSession(2).build());
		EventStreamClient first = openStream("/events");
		EventStreamClient second = openStream("/download/live");
		assertThat(this.gate.activeStreams()).isEqualTo(2);
		assertThat(this.meters.get(SessionGateMetrics.STREAMS_ACTIVE).gauge().value()).isEqualTo(2.0);

		this.gate.admin().endSession(this.client.sessionId(), SessionStatus.COMPLETED, "admin");

		first.awaitEnd(LOCAL_CLOSE_BOUND);
		second.awaitEnd(LOCAL_CLOSE_BOUND);
		assertThat(first.endedNormally()).isTrue();
		assertThat(second.endedNormally()).isTrue();
		Await.until("streams released", () -> this.gate.activeStreams() == 0);
		assertThat(this.meters.get(SessionGateMetrics.STREAMS_ACTIVE).gauge().value()).isZero();
		assertThat(this.meters.get(SessionGateMetrics.STREAMS_DURATION).timer().count()).isEqualTo(2);
		// streams are not requests: only the first /context request was timed
		assertThat(this.meters.get(SessionGateMetrics.REQUESTS).timers().stream().mapToLong((t) -> t.count()).sum())
			.isEqualTo(1);
		SessionStats ended = this.gate.ledger().find(this.client.sessionId());
		assertThat(ended.openStreams()).isZero();
		assertThat(ended.streamCount()).isEqualTo(2);
	}

	@Test
	void streamWhenSessionInvalidatedByLogoutThenClosed() {
		start(SessionLimits.none());
		try (EventStreamClient stream = openStream("/events")) {
			assertThat(this.client.get(this.server.uri("/logout")).statusCode()).isEqualTo(200);

			stream.awaitEnd(LOCAL_CLOSE_BOUND);
			assertThat(stream.endedNormally()).isTrue();
			Await.until("stream released", () -> this.gate.activeStreams() == 0);
		}
	}

	@Test
	void streamWhenSessionReachesAbsoluteTimeoutThenClosedWithinTheCheckInterval() {
		start(SessionLimits.builder().absoluteTimeout(Duration.ofSeconds(2)).build(), Duration.ofMinutes(30),
				Duration.ofMillis(200));
		String id = this.client.sessionId();
		try (EventStreamClient stream = openStream("/events")) {
			stream.awaitEnd(Duration.ofSeconds(4));
			assertThat(stream.endedNormally()).isTrue();
			assertThat(this.gate.ledger().find(id).status()).isEqualTo(SessionStatus.EXPIRED);
			Await.until("stream released", () -> this.gate.activeStreams() == 0);
		}
	}

	@Test
	void streamWhenItsSessionIsEndedForANewerLoginOfTheUserThenClosed() {
		start(SessionLimits.builder()
			.maxSessionsPerUser(1)
			.sessionsPerUserPolicy(SessionsPerUserPolicy.END_OLDEST)
			.build());
		assertThat(this.client.get(this.server.uri("/login?user=alice")).statusCode()).isEqualTo(200);
		String oldest = this.client.sessionId();
		try (EventStreamClient stream = openStream("/events")) {
			TestClient laptop = new TestClient();
			assertThat(laptop.get(this.server.uri("/login?user=alice")).statusCode()).isEqualTo(200);

			stream.awaitEnd(LOCAL_CLOSE_BOUND);
			assertThat(stream.endedNormally()).isTrue();
			assertThat(this.gate.ledger().find(oldest).endReason()).isEqualTo("session-limit");
		}
	}

	@Test
	void streamWhenErrorRatePolicyFailsItsSessionThenClosed() {
		start(SessionLimits.builder().failSessionAfter(new ErrorRatePolicy(2, 0.5)).build());
		String id = this.client.sessionId();
		try (EventStreamClient stream = openStream("/events")) {
			assertThat(this.client.get(this.server.uri("/fail")).statusCode()).isEqualTo(500);
			assertThat(this.client.get(this.server.uri("/fail")).statusCode()).isEqualTo(500);

			stream.awaitEnd(LOCAL_CLOSE_BOUND);
			assertThat(stream.endedNormally()).isTrue();
			assertThat(this.gate.ledger().find(id).status()).isEqualTo(SessionStatus.FAILED);
		}
	}

	@Test
	void streamWhenClientGoesAwayThenReleased() {
		start(SessionLimits.builder().maxStreamsPerSession(1).build());
		EventStreamClient stream = openStream("/events");
		stream.close();

		Await.until("stream released after the client left", () -> this.gate.activeStreams() == 0);
		assertThat(stats().openStreams()).isZero();
		try (EventStreamClient again = openStream("/events")) {
			assertThat(again.isOpen()).isTrue();
		}
	}

	@Test
	void streamsWhenManyClientsOpenThemAtOnceThenExactlyTheNodeCapacityIsAdmittedAndCountsReturnToZero()
			throws Exception {
		int capacity = 5;
		int clients = 24;
		start(SessionLimits.builder().maxActiveStreams(capacity).maxStreamsPerSession(1).build());
		List<EventStreamClient> streams = new CopyOnWriteArrayList<>();
		AtomicInteger opened = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(clients);
		CountDownLatch go = new CountDownLatch(1);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				futures.add(executor.submit(() -> {
					TestClient browser = new TestClient();
					assertThat(browser.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
					go.await();
					EventStreamClient stream = EventStreamClient.open(browser, this.server.uri("/events"));
					streams.add(stream);
					if (stream.statusCode() == 200) {
						stream.awaitLine("data: open");
						opened.incrementAndGet();
					}
					else {
						assertThat(stream.statusCode()).isEqualTo(503);
						refused.incrementAndGet();
					}
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

		assertThat(opened.get()).isEqualTo(capacity);
		assertThat(refused.get()).isEqualTo(clients - capacity);
		assertThat(this.gate.activeStreams()).isEqualTo(capacity);
		assertThat(this.gate.rejections(Limit.STREAM_CAPACITY)).isEqualTo(clients - capacity);
		assertThat(this.meters.get(SessionGateMetrics.STREAMS_ACTIVE).gauge().value()).isEqualTo(capacity);
		streams.forEach(EventStreamClient::close);
		Await.until("every stream released", () -> this.gate.activeStreams() == 0);
		assertThat(this.meters.get(SessionGateMetrics.STREAMS_DURATION).timer().count()).isEqualTo(capacity);
		assertThat(this.gate.activeRequests()).isZero();
	}

	private double counted(Limit limit) {
		return this.meters.get(SessionGateMetrics.REQUESTS_REJECTED)
			.tag("limit", limit.tag())
			.functionCounter()
			.count();
	}

}
