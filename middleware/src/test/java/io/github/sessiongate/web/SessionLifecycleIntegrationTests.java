package io.github.sessiongate.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.events.SessionEndedEvent;
import io.github.sessiongate.events.SessionGateEvent;
import io.github.sessiongate.events.SessionStartedEvent;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.MutableClock;
import io.github.sessiongate.testsupport.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Session lifecycle through the admin API and the sweeper: ending, idle expiry, history
 * retention, and that nothing is left behind.
 */
class SessionLifecycleIntegrationTests {

	private final TestApp app = new TestApp();

	private final Map<String, Session> store = new ConcurrentHashMap<>();

	private final MutableClock clock = MutableClock.startingNow();

	private final InMemorySessionLedger ledger = new InMemorySessionLedger(this.clock, Duration.ofMinutes(10));

	private final List<SessionGateEvent> events = new CopyOnWriteArrayList<>();

	private SessionGate gate;

	private JettyTestServer server;

	@BeforeEach
	void start() {
		this.gate = SessionGate.builder(new MapSessionRepository(this.store))
			.creationPolicy(CreationPolicy.IF_REQUIRED)
			.ledger(this.ledger)
			.clock(this.clock)
			.sweepInterval(Duration.ZERO)
			.listener(this.events::add)
			.build();
		this.server = this.app.start(this.gate.filter());
	}

	@AfterEach
	void stop() {
		this.server.close();
		this.gate.close();
		this.app.close();
	}

	@Test
	void endSessionWhenLiveThenSessionIsDeletedRecordedAndNextRequestHasNoSession() {
		TestClient client = new TestClient();
		client.get(this.server.uri("/create-session"));
		String sessionId = client.sessionId();

		SessionStats ended = this.gate.admin()
			.endSession(sessionId, SessionStatus.COMPLETED, "admin-logout")
			.orElseThrow();

		assertThat(ended.status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(ended.endReason()).isEqualTo("admin-logout");
		assertThat(ended.requestCount()).isEqualTo(1);
		assertThat(this.store).doesNotContainKey(sessionId);
		assertThat(this.gate.ledger().activeSessions()).isZero();
		assertThat(this.gate.admin().endSession(sessionId, SessionStatus.COMPLETED, "again")).isEmpty();
		assertThat(client.get(this.server.uri("/context")).body()).contains("session=null");
		assertThat(this.gate.admin().session(sessionId).orElseThrow().status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(this.gate.admin().sessionsWithStatus(SessionStatus.COMPLETED, 10))
			.extracting(SessionStats::sessionId)
			.containsExactly(sessionId);
		assertThat(this.events).filteredOn(SessionEndedEvent.class::isInstance).hasSize(1);
	}

	@Test
	void endSessionWhenArgumentsInvalidThenClearErrorsAndNothingChanges() {
		TestClient client = new TestClient();
		client.get(this.server.uri("/create-session"));
		String sessionId = client.sessionId();

		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.gate.admin().endSession(sessionId, SessionStatus.ACTIVE, "x"))
			.withMessageContaining("ACTIVE");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.gate.admin().endSession(sessionId, SessionStatus.FAILED, "Bad Reason!"))
			.withMessageContaining("reason");
		assertThat(this.gate.admin().endSession("not a valid id", SessionStatus.FAILED, "x")).isEmpty();
		assertThat(this.gate.admin().session("../../etc")).isEmpty();
		assertThat(this.gate.admin().session(sessionId).orElseThrow().status()).isEqualTo(SessionStatus.ACTIVE);
		assertThat(this.store).containsKey(sessionId);
	}

	@Test
	void sweepWhenSessionIdlePastItsTimeoutThenExpiredAndDeletedFromRepository() {
		TestClient idle = new TestClient();
		idle.get(this.server.uri("/create-session"));
		this.clock.advance(Duration.ofMinutes(20));
		TestClient busy = new TestClient();
		busy.get(this.server.uri("/create-session"));
		this.clock.advance(Duration.ofMinutes(11));

		List<SessionStats> ended = this.gate.sweep();

		assertThat(ended).singleElement().satisfies((stats) -> {
			assertThat(stats.sessionId()).isEqualTo(idle.sessionId());
			assertThat(stats.status()).isEqualTo(SessionStatus.EXPIRED);
			assertThat(stats.endReason()).isEqualTo("idle-timeout");
		});
		assertThat(this.store).containsOnlyKeys(busy.sessionId());
		assertThat(this.gate.ledger().activeSessions()).isEqualTo(1);
		assertThat(this.events).filteredOn(SessionStartedEvent.class::isInstance).hasSize(2);
		assertThat(this.events).filteredOn(SessionEndedEvent.class::isInstance)
			.singleElement()
			.satisfies(
					(event) -> assertThat(((SessionEndedEvent) event).stats().endReason()).isEqualTo("idle-timeout"));
	}

	@Test
	void sweepWhenHistoryRetentionPassesThenNothingIsLeftBehind() {
		for (int i = 0; i < 20; i++) {
			new TestClient().get(this.server.uri("/create-session"));
		}
		assertThat(this.ledger.size()).isEqualTo(20);
		this.clock.advance(Duration.ofMinutes(31));
		assertThat(this.gate.sweep()).hasSize(20);
		assertThat(this.ledger.size()).isEqualTo(20);
		assertThat(this.store).isEmpty();

		this.clock.advance(Duration.ofMinutes(10));
		assertThat(this.gate.sweep()).isEmpty();

		assertThat(this.ledger.size()).isZero();
		assertThat(this.ledger.indexedUsers()).isZero();
		assertThat(this.ledger.activeSessions()).isZero();
		assertThat(this.gate.activeRequests()).isZero();
	}

}
