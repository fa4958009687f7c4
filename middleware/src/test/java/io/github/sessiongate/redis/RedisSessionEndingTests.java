package io.github.sessiongate.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.events.SessionEndedEvent;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.MapSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No lost endings on Redis: two nodes share one Redis; every session that ends gets
 * exactly one end event (across the nodes) and a history record, also when the history
 * retention is shorter than the time a sweep takes to come round.
 */
class RedisSessionEndingTests {

	private static final int SESSIONS = 40;

	private static final Duration IDLE = Duration.ofSeconds(1);

	private static final Duration RETENTION = Duration.ofSeconds(3);

	private final Resources resources = new Resources();

	private final String prefix = "ending:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final Queue<SessionStats> endEvents = new ConcurrentLinkedQueue<>();

	@AfterEach
	void close() throws Exception {
		this.resources.close();
	}

	@Test
	void sweepWhenIdleSessionsOutliveIdleTimeoutPlusRetentionThenTwoNodesEndEachOnceWithHistory() throws Exception {
		SessionGate first = node(SessionLimits.none());
		SessionGate second = node(SessionLimits.none());
		List<String> ids = startSessions(first.ledger(), SessionLimits.none());
		// past idle timeout + retention since the last activity (and past the lease
		// time): a record kept only that long would be gone before this late sweep, and
		// its ending lost
		long lastActivity = System.currentTimeMillis();
		Await.until("idle timeout + retention passed", Duration.ofSeconds(30),
				() -> System.currentTimeMillis() > lastActivity + IDLE.plus(RETENTION).toMillis() + 300);

		RedisGateIntegrationTests.runConcurrently(2, (node) -> ((node == 0) ? first : second).sweep());

		assertEndedOnceWithHistory(ids, SessionStatus.EXPIRED, "idle-timeout", first);
		assertThat(first.sweep()).isEmpty();
		assertThat(second.sweep()).isEmpty();
		assertThat(this.endEvents).hasSize(SESSIONS);
	}

	@Test
	void endSessionWhenBothNodesEndEverySessionAtOnceThenEachEndsOnceWithHistory() throws Exception {
		SessionGate first = node(SessionLimits.none());
		SessionGate second = node(SessionLimits.none());
		List<String> ids = startSessions(first.ledger(), SessionLimits.none());
		AtomicInteger ended = new AtomicInteger();

		RedisGateIntegrationTests.runConcurrently(2, (node) -> {
			SessionGate gate = (node == 0) ? first : second;
			for (String id : ids) {
				gate.admin()
					.endSession(id, SessionStatus.COMPLETED, "admin")
					.ifPresent((stats) -> ended.incrementAndGet());
			}
		});

		assertThat(ended.get()).isEqualTo(SESSIONS);
		assertEndedOnceWithHistory(ids, SessionStatus.COMPLETED, "admin", second);
	}

	@Test
	void absoluteTimeoutWhenRequestsAndSweepsMeetTheExpiredSessionsThenEachEndsExactlyOnce() throws Exception {
		SessionLimits limits = SessionLimits.builder().absoluteTimeout(Duration.ofSeconds(1)).build();
		SessionGate first = node(limits);
		SessionGate second = node(limits);
		List<String> ids = startSessions(first.ledger(), limits);
		long startedAt = System.currentTimeMillis();
		Await.until("the absolute timeout passed", () -> System.currentTimeMillis() > startedAt + 1300);
		Map<String, AtomicInteger> endings = new ConcurrentHashMap<>();

		RedisGateIntegrationTests.runConcurrently(4, (thread) -> {
			SessionGate gate = (thread % 2 == 0) ? first : second;
			if (thread < 2) {
				for (SessionStats stats : gate.ledger().sweep(limits)) {
					endings.computeIfAbsent(stats.sessionId(), (id) -> new AtomicInteger()).incrementAndGet();
				}
			}
			else {
				for (String id : ids) {
					Admission admission = gate.ledger().begin(start(id, limits));
					assertThat(admission).isInstanceOf(Admission.Ended.class);
					if (((Admission.Ended) admission).endedNow()) {
						endings.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
					}
				}
			}
		});

		assertThat(endings.keySet()).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(endings.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
		for (String id : ids) {
			assertThat(first.ledger().find(id).status()).isEqualTo(SessionStatus.EXPIRED);
		}
	}

	private void assertEndedOnceWithHistory(List<String> ids, SessionStatus status, String reason, SessionGate gate) {
		Map<String, Long> eventsPerSession = this.endEvents.stream()
			.collect(Collectors.groupingBy(SessionStats::sessionId, Collectors.counting()));
		assertThat(eventsPerSession.keySet()).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(eventsPerSession.values()).containsOnly(1L);
		assertThat(this.endEvents).allSatisfy((stats) -> {
			assertThat(stats.status()).isEqualTo(status);
			assertThat(stats.endReason()).isEqualTo(reason);
		});
		for (String id : ids) {
			SessionStats history = gate.ledger().find(id);
			assertThat(history).as("history record of an ended session").isNotNull();
			assertThat(history.status()).isEqualTo(status);
		}
		assertThat(gate.admin().sessionsWithStatus(status, 1000)).extracting(SessionStats::sessionId)
			.containsExactlyInAnyOrderElementsOf(ids);
	}

	private List<String> startSessions(SessionLedger ledger, SessionLimits limits) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < SESSIONS; i++) {
			String id = UUID.randomUUID().toString();
			Admission admission = ledger.begin(start(id, limits));
			ledger.end(((Admission.Admitted) admission).permit(), new RequestOutcome(1000, false));
			ids.add(id);
		}
		return ids;
	}

	private static RequestStart start(String id, SessionLimits limits) {
		return new RequestStart(id, null, Instant.now(), IDLE, limits);
	}

	/**
	 * One app node: its own connection, Redis ledger and gate (sweeps run by the test).
	 */
	private SessionGate node(SessionLimits limits) {
		LettuceConnectionFactory connectionFactory = this.resources.own(
				RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(), Duration.ofSeconds(2)),
				LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory)
			.keyPrefix(this.prefix)
			.historyRetention(RETENTION)
			.leaseTime(Duration.ofSeconds(1))
			.sweepInterval(Duration.ofSeconds(30))
			.build();
		return this.resources.own(SessionGate.builder(new MapSessionRepository(new ConcurrentHashMap<>()))
			.ledger(ledger)
			.limits(limits)
			.sweepInterval(Duration.ZERO)
			.listener((event) -> {
				if (event instanceof SessionEndedEvent ended) {
					this.endEvents.add(ended.stats());
				}
			})
			.build());
	}

}
