package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestCluster;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.RedisTestSessions;
import io.github.sessiongate.testsupport.RedisTestSessions.Kind;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's reference resolves exactly on any node however many sessions there are: 5
 * 000 live sessions started through one node, an anonymous browser's session found by its
 * reference alone on the other node and ended there, on standalone Redis and on a
 * three-master Cluster.
 */
class RedisReferenceLookupIntegrationTests {

	private static final int SESSIONS = 5_000;

	private static RedisTestCluster cluster;

	private final Resources resources = new Resources();

	private final String prefix = "ref:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@BeforeAll
	static void startCluster() {
		cluster = RedisTestCluster.start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@AfterEach
	void close() throws Exception {
		this.resources.close();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void sessionByReferenceWhenFiveThousandLiveSessionsThenResolvesAndEndsOnTheOtherNode(Backend backend)
			throws Exception {
		Node first = node(backend);
		Node second = node(backend);
		TestClient browser = new TestClient();
		assertThat(browser.get(first.server.uri("/visit")).body()).isEqualTo("new");
		String browserId = browser.sessionId();
		assertThat(browserId).isNotNull();
		List<String> ids = startSessions(first.ledger, SESSIONS);

		// the browser's session is the oldest of 5 001: far outside any listing of recent
		// ones
		assertThat(second.gate.admin().activeSessions()).isEqualTo(SESSIONS + 1);
		assertThat(referenceCount(second.connectionFactory)).isEqualTo(SESSIONS + 1);
		String reference = SessionIds.shortForm(browserId);
		long started = System.nanoTime();
		SessionStats found = second.gate.admin().sessionByReference(reference).orElseThrow();
		long lookupMicros = (System.nanoTime() - started) / 1000;
		assertThat(found.sessionId()).isEqualTo(browserId);
		assertThat(found.status()).isEqualTo(SessionStatus.ACTIVE);
		assertThat(found.userId()).isNull();
		List<String> sample = new ArrayList<>(ids);
		Collections.shuffle(sample);
		for (String id : sample.subList(0, 100)) {
			assertThat(second.gate.admin().sessionByReference(SessionIds.shortForm(id)))
				.hasValueSatisfying((stats) -> assertThat(stats.sessionId()).isEqualTo(id));
		}
		assertThat(second.gate.admin().sessionByReference("000000000000")).isEmpty();
		assertThat(second.gate.admin().sessionByReference("<script>")).isEmpty();

		assertThat(second.gate.admin().endSession(found.sessionId(), SessionStatus.COMPLETED, "admin")).isPresent();

		assertThat(browser.get(first.server.uri("/visit")).body()).isEqualTo("new");
		assertThat(browser.sessionId()).isNotEqualTo(browserId);
		SessionStats history = first.gate.admin().sessionByReference(reference).orElseThrow();
		assertThat(history.status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(history.endReason()).isEqualTo("admin");
		assertThat(first.gate.admin().activeSessions()).isEqualTo(SESSIONS + 1);
		// the ended session's reference stays with its history entry, the new session has
		// its own
		assertThat(referenceCount(first.connectionFactory)).isEqualTo(SESSIONS + 2);
		assertThat(RedisKeysProbe.keysWithoutTtl(first.connectionFactory, this.prefix)).isEmpty();
		System.out.printf("%s: a reference among %d live sessions resolved on the other node in %d us%n", backend,
				SESSIONS + 1, lookupMicros);
	}

	/**
	 * Starts sessions through a ledger on four threads, each with one finished request.
	 */
	private static List<String> startSessions(RedisSessionLedger ledger, int count) throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(UUID.randomUUID().toString());
		}
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				List<String> slice = ids.subList(t * count / 4, (t + 1) * count / 4);
				futures.add(executor.submit(() -> {
					for (String id : slice) {
						Admission admission = ledger.begin(new RequestStart(id, null, Instant.now(),
								Duration.ofMinutes(30), SessionLimits.none()));
						assertThat(admission).isInstanceOf(Admission.Admitted.class);
						ledger.end(((Admission.Admitted) admission).permit(), new RequestOutcome(1000, false));
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		return ids;
	}

	private long referenceCount(LettuceConnectionFactory connectionFactory) {
		long total = 0;
		try (RedisConnection connection = connectionFactory.getConnection()) {
			for (int shard = 0; shard < RedisKeys.SHARDS; shard++) {
				byte[] key = (this.prefix + "{index-" + shard + "}:refs").getBytes(StandardCharsets.UTF_8);
				Long size = connection.hashCommands().hLen(key);
				total += (size != null) ? size : 0;
			}
		}
		return total;
	}

	private Node node(Backend backend) {
		LettuceConnectionFactory connectionFactory = this.resources.own(
				(backend == Backend.CLUSTER) ? cluster.newConnectionFactory()
						: RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(), Duration.ofSeconds(2)),
				LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build();
		SessionRepository<? extends Session> repository = RedisTestSessions.repository(Kind.SESSIONGATE,
				connectionFactory, ledger, this.prefix + "sessions", Duration.ofMinutes(30));
		SessionGate gate = this.resources
			.own(SessionGate.builder(repository).ledger(ledger).sweepInterval(Duration.ZERO).build());
		JettyTestServer server = this.resources.own(JettyTestServer.start(gate.filter(),
				(context) -> JettyTestServer.servlet(context, "/visit", (request, response) -> {
					HttpSession existing = request.getSession(false);
					if (existing == null) {
						request.getSession(true);
					}
					response.getWriter().print((existing != null) ? "known" : "new");
				})));
		return new Node(server, gate, ledger, connectionFactory);
	}

	enum Backend {

		STANDALONE, CLUSTER

	}

	record Node(JettyTestServer server, SessionGate gate, RedisSessionLedger ledger,
			LettuceConnectionFactory connectionFactory) {
	}

}
