package io.github.sessiongate.redis;

import java.time.Duration;
import java.util.UUID;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.EventStreamClient;
import io.github.sessiongate.testsupport.EventStreams;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.RedisTestSessions;
import io.github.sessiongate.testsupport.RedisTestSessions.Kind;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams on two real Jetty nodes sharing a real {@code redis-server} (both Redis session
 * repositories): counted apart from requests across nodes, limited cluster-wide, kept
 * alive past the idle timeout, and closed on one node when the session ends on the other,
 * within the check interval.
 */
class RedisStreamIntegrationTests {

	private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

	/** The check interval plus a round trip and the client seeing the end. */
	private static final Duration CLOSE_BOUND = Duration.ofSeconds(2);

	private final Resources resources = new Resources();

	private final String prefix = "st:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final EventStreams events = new EventStreams();

	private final TestClient browser = new TestClient();

	@AfterEach
	void close() throws Exception {
		this.events.close();
		this.resources.close();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void streamOnOneNodeWhenSessionMakesHundredRequestsThroughBothAtLimitOneThenNoneRefused(Kind kind) {
		SessionLimits limits = SessionLimits.builder()
			.maxConcurrentRequestsPerSession(1)
			.maxStreamsPerSession(1)
			.build();
		Node first = node(kind, limits, Duration.ofMinutes(30));
		Node second = node(kind, limits, Duration.ofMinutes(30));
		assertThat(this.browser.get(first.server.uri("/hello")).statusCode()).isEqualTo(200);
		String id = this.browser.sessionId();

		try (EventStreamClient stream = openStream(first)) {
			for (int i = 0; i < 100; i++) {
				Node node = (i % 2 == 0) ? second : first;
				assertThat(this.browser.get(node.server.uri("/hello")).statusCode()).as("request %d", i).isEqualTo(200);
			}
			// the stream limit is the session's, on every node
			EventStreamClient refused = EventStreamClient.open(this.browser, second.server.uri("/events"));
			refused.awaitEnd(Duration.ofSeconds(5));
			assertThat(refused.statusCode()).isEqualTo(429);
			assertThat(refused.body()).contains("\"limit\":\"session-streams\"");
			assertThat(second.gate.rejections(Limit.SESSION_STREAMS)).isEqualTo(1);

			SessionStats stats = second.gate.ledger().find(id);
			assertThat(stats.openStreams()).isEqualTo(1);
			assertThat(stats.streamCount()).isEqualTo(1);
			assertThat(stats.requestCount()).isEqualTo(101);
			assertThat(stats.activeRequests()).isZero();
			assertThat(first.gate.rejections(Limit.SESSION_CONCURRENCY)
					+ second.gate.rejections(Limit.SESSION_CONCURRENCY))
				.isZero();
			assertThat(first.gate.activeStreams()).isEqualTo(1);
			assertThat(stream.isOpen()).isTrue();
		}
		Await.until("the stream released after the client left",
				() -> first.gate.activeStreams() == 0 && first.gate.ledger().find(id).openStreams() == 0);
		assertThat(RedisKeysProbe.keysWithoutTtl(first.connectionFactory, this.prefix)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void streamWhenSessionEndedOnTheOtherNodeThenClosedWithinTheCheckInterval(Kind kind) {
		Node first = node(kind, SessionLimits.none(), Duration.ofMinutes(30));
		Node second = node(kind, SessionLimits.none(), Duration.ofMinutes(30));
		assertThat(this.browser.get(first.server.uri("/hello")).statusCode()).isEqualTo(200);
		String id = this.browser.sessionId();
		EventStreamClient stream = openStream(first);
		assertThat(first.meters.get(SessionGateMetrics.STREAMS_ACTIVE).gauge().value()).isEqualTo(1.0);

		assertThat(second.gate.admin().endSession(id, SessionStatus.COMPLETED, "admin")).isPresent();

		Duration took = stream.awaitEnd(CLOSE_BOUND);
		assertThat(stream.endedNormally()).isTrue();
		assertThat(took).isLessThan(CLOSE_BOUND);
		Await.until("the stream released", () -> first.gate.activeStreams() == 0);
		assertThat(first.meters.get(SessionGateMetrics.STREAMS_ACTIVE).gauge().value()).isZero();
		assertThat(second.meters.get(SessionGateMetrics.STREAMS_ACTIVE).gauge().value()).isZero();
		assertThat(first.meters.get(SessionGateMetrics.STREAMS_DURATION).timer().count()).isEqualTo(1);
		SessionStats ended = second.gate.ledger().find(id);
		assertThat(ended.status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(ended.openStreams()).isZero();
		assertThat(ended.streamCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void streamWhenLogoutOnTheOtherNodeThenClosed(Kind kind) {
		Node first = node(kind, SessionLimits.none(), Duration.ofMinutes(30));
		Node second = node(kind, SessionLimits.none(), Duration.ofMinutes(30));
		assertThat(this.browser.get(first.server.uri("/hello")).statusCode()).isEqualTo(200);
		EventStreamClient stream = openStream(first);

		assertThat(this.browser.get(second.server.uri("/logout")).statusCode()).isEqualTo(200);

		stream.awaitEnd(CLOSE_BOUND);
		assertThat(stream.endedNormally()).isTrue();
		Await.until("the stream released", () -> first.gate.activeStreams() == 0);
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void streamWhenOpenPastIdleTimeoutThenSessionStaysAliveOnBothNodes(Kind kind) {
		Node first = node(kind, SessionLimits.none(), Duration.ofSeconds(4));
		Node second = node(kind, SessionLimits.none(), Duration.ofSeconds(4));
		assertThat(this.browser.get(first.server.uri("/hello")).statusCode()).isEqualTo(200);
		String id = this.browser.sessionId();

		try (EventStreamClient stream = openStream(first)) {
			long until = System.nanoTime() + Duration.ofSeconds(9).toNanos();
			Await.until("9 seconds, more than twice the idle timeout", Duration.ofSeconds(20), () -> {
				assertThat(first.gate.ledger().find(id).status()).isEqualTo(SessionStatus.ACTIVE);
				return System.nanoTime() > until;
			});
			assertThat(stream.isOpen()).isTrue();
			assertThat(second.repository.findById(id)).as("the session in the repository").isNotNull();
			assertThat(this.browser.get(second.server.uri("/hello")).statusCode()).isEqualTo(200);
			assertThat(this.browser.sessionId()).isEqualTo(id);
			assertThat(second.gate.ledger().find(id).status()).isEqualTo(SessionStatus.ACTIVE);
		}
	}

	private EventStreamClient openStream(Node node) {
		EventStreamClient stream = EventStreamClient.open(this.browser, node.server.uri("/events"));
		assertThat(stream.statusCode()).isEqualTo(200);
		stream.awaitLine("data: open");
		return stream;
	}

	private Node node(Kind kind, SessionLimits limits, Duration idleTimeout) {
		LettuceConnectionFactory connectionFactory = this.resources.own(
				RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(), Duration.ofSeconds(2)),
				LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build();
		SessionRepository<? extends Session> repository = RedisTestSessions.repository(kind, connectionFactory, ledger,
				this.prefix + "sessions", idleTimeout);
		SessionGate gate = this.resources.own(SessionGate.builder(repository)
			.ledger(ledger)
			.limits(limits)
			.creationPolicy(CreationPolicy.ALWAYS)
			.sweepInterval(Duration.ofMillis(250))
			.streamCheckInterval(CHECK_INTERVAL)
			.build());
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new SessionGateMetrics(gate).bindTo(meters);
		JettyTestServer server = this.resources.own(JettyTestServer.start(gate.filter(), (context) -> {
			JettyTestServer.servlet(context, "/hello", (request, response) -> response.getWriter().print("hello"));
			JettyTestServer.servlet(context, "/logout", (request, response) -> request.getSession().invalidate());
			JettyTestServer.servlet(context, "/events", this.events::open);
		}));
		return new Node(server, gate, repository, connectionFactory, meters);
	}

	record Node(JettyTestServer server, SessionGate gate, SessionRepository<?> repository,
			LettuceConnectionFactory connectionFactory, SimpleMeterRegistry meters) {
	}

}
