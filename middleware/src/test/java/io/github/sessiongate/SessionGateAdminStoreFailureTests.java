package io.github.sessiongate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.store.StoreUnavailableException;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.MapSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The admin API and the meters while the ledger's store is down: a gate on the Redis
 * ledger behind real Jetty, on a real {@code redis-server} that the test kills. Ledger
 * reads throw {@link StoreUnavailableException} at once (counted as {@code admin-read}),
 * node-local counts still answer, the live-sessions gauge reads {@code NaN}, and
 * Micrometer never warns, also with the meters bound twice.
 */
class SessionGateAdminStoreFailureTests {

	private final Resources resources = new Resources();

	private final ListAppender<ILoggingEvent> micrometerLog = new ListAppender<>();

	private final Logger micrometer = (Logger) LoggerFactory.getLogger("io.micrometer");

	@AfterEach
	void close() throws Exception {
		this.micrometer.detachAppender(this.micrometerLog);
		this.resources.close();
	}

	@Test
	void adminWhenRedisKilledThenLedgerReadsFailFastAsStoreUnavailableAndMetersStayQuiet() throws Exception {
		this.micrometerLog.start();
		this.micrometer.addAppender(this.micrometerLog);
		RedisTestServer redis = this.resources.own(RedisTestServer.start());
		LettuceConnectionFactory connections = this.resources.own(
				RedisSessionLedger.connectionFactory(redis.uri(), Duration.ofSeconds(2)),
				LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = RedisSessionLedger.builder(connections)
			.keyPrefix("admin-failure:" + UUID.randomUUID().toString().substring(0, 8) + ":")
			.build();
		SessionGate gate = this.resources.own(SessionGate.builder(new MapSessionRepository(new ConcurrentHashMap<>()))
			.ledger(ledger)
			.creationPolicy(CreationPolicy.ALWAYS)
			.build());
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new SessionGateMetrics(gate).bindTo(meters);
		new SessionGateMetrics(gate).bindTo(meters);
		new SessionGateMetrics(gate).bindTo(new SimpleMeterRegistry());
		JettyTestServer server = this.resources.own(JettyTestServer.start(gate.filter(), (context) -> JettyTestServer
			.servlet(context, "/*", (request, response) -> response.getWriter().print("ok"))));
		TestClient browser = new TestClient();
		assertThat(browser.get(server.uri("/")).statusCode()).isEqualTo(200);
		assertThat(gate.admin().summary().activeSessions()).isEqualTo(1);

		redis.kill();
		for (int i = 0; i < 3; i++) {
			// the default policy (allow) serves the requests; their store failures are
			// counted
			assertThat(browser.get(server.uri("/")).statusCode()).isEqualTo(200);
		}
		SessionGateAdmin admin = gate.admin();
		assertThatExceptionOfType(StoreUnavailableException.class).isThrownBy(admin::summary);
		assertThatExceptionOfType(StoreUnavailableException.class).isThrownBy(() -> admin.sessionsOfUser("alice"));
		assertThatExceptionOfType(StoreUnavailableException.class)
			.isThrownBy(() -> admin.sessionsWithStatus(SessionStatus.ACTIVE, 10));
		assertThatExceptionOfType(StoreUnavailableException.class).isThrownBy(() -> admin.session(browser.sessionId()));
		assertThat(admin.storeErrors(StoreOperation.ADMIN_READ)).isEqualTo(4);
		assertThat(admin.storeErrors(StoreOperation.BEGIN)).isPositive();
		assertThat(admin.rejections(Limit.SESSION_CONCURRENCY)).isZero();
		assertThat(meters.get(SessionGateMetrics.SESSIONS_ACTIVE).gauge().value()).isNaN();
		assertThat(meters.get(SessionGateMetrics.STORE_ERRORS).tag("operation", "admin-read").functionCounter().count())
			.isEqualTo(5);

		redis.restart();
		Await.until("the admin API reads the ledger again", Duration.ofSeconds(5), () -> readsAgain(admin));
		assertThat(warnings()).isEmpty();
	}

	private static boolean readsAgain(SessionGateAdmin admin) {
		try {
			admin.summary();
			return true;
		}
		catch (StoreUnavailableException ex) {
			return false;
		}
	}

	private List<String> warnings() {
		return this.micrometerLog.list.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

}
