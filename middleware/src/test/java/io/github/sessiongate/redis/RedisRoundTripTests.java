package io.github.sessiongate.redis;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisCommandStats;
import io.github.sessiongate.testsupport.RedisMonitor;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.TestClient;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures Redis commands and round trips per request ({@code INFO commandstats},
 * {@code MONITOR}): Spring Session Data Redis alone against the gate on the Redis ledger
 * with Spring Session's repository and with its own.
 */
class RedisRoundTripTests {

	private static final int REQUESTS = 200;

	private RedisTestServer redis;

	private LettuceConnectionFactory connectionFactory;

	@BeforeEach
	void start() {
		this.redis = RedisTestServer.start();
		this.connectionFactory = RedisSessionLedger.connectionFactory(this.redis.uri(), Duration.ofSeconds(2));
	}

	@AfterEach
	void stop() {
		this.connectionFactory.destroy();
		this.redis.close();
	}

	@Test
	void gateWhenOnRedisThenAddsAtMostTwoRoundTripsPerRequest() {
		RedisSessionRepository alone = RedisGateIntegrationTests.redisSessions(this.connectionFactory, "alone");
		Map<String, Long> springSession = measure(new SessionRepositoryFilter<>(alone));

		RedisSessionLedger ledger = RedisSessionLedger.builder(this.connectionFactory).build();
		try (SessionGate gate = gate(RedisGateIntegrationTests.redisSessions(this.connectionFactory, "gated"),
				ledger)) {
			Map<String, Long> withGate = measure(gate.filter());
			report(springSession, withGate);
		}
	}

	@Test
	void gateWhenOnItsOwnRepositoryThenFewerRoundTripsThanSpringSessionAloneWithEveryLimit() {
		RedisSessionRepository alone = RedisGateIntegrationTests.redisSessions(this.connectionFactory, "alone");
		RedisMonitor springSession = census(new SessionRepositoryFilter<>(alone));

		RedisSessionLedger ledger = RedisSessionLedger.builder(this.connectionFactory).build();
		RedisMonitor gated;
		try (SessionGate gate = gate(SessionGateRedisSessionRepository.builder(ledger).build(), ledger)) {
			gated = census(gate.filter());
		}
		System.out.printf("Round trips per request over %d requests that update their session (MONITOR):%n", REQUESTS);
		System.out.printf("  Spring Session Data Redis alone: sent %s%n", springSession.sent());
		System.out.printf("  SessionGate, own repository:     sent %s, inside its scripts %s%n", gated.sent(),
				gated.inScripts());
		// one script loads the session and admits the request, one saves it and ends the
		// request; nothing else reaches Redis (an EVAL is sent once, when the server does
		// not know a script yet)
		assertThat(gated.sent().keySet()).isSubsetOf("evalsha", "eval");
		assertThat(gated.sent().get("evalsha")).isBetween(2L * REQUESTS - 2, 2L * REQUESTS);
		assertThat(total(gated.sent())).isBetween(2L * REQUESTS, 2L * REQUESTS + 2);
		assertThat(total(gated.sent())).isLessThan(total(springSession.sent()));
	}

	@Test
	void ownRepositoryWhenGateFilterRegisteredWithoutTheOuterFilterThenEveryVisitIsStillSaved() {
		RedisSessionLedger ledger = RedisSessionLedger.builder(this.connectionFactory).build();
		SessionGateRedisSessionRepository own = SessionGateRedisSessionRepository.builder(ledger).build();
		try (SessionGate gate = gate(own, ledger)) {
			// Spring Session's filter and the gate's, without the store-failure filter
			// that
			// tells when a request starts and ends
			SessionRepositoryFilter<?> sessions = new SessionRepositoryFilter<>(own);
			sessions.setHttpSessionIdResolver(gate.httpSessionIdResolver());
			Filter chain = (request, response, next) -> sessions.doFilter(request, response,
					(wrapped, wrappedResponse) -> gate.gateFilter().doFilter(wrapped, wrappedResponse, next));
			RedisMonitor monitor = census(chain);
			// correct without it, at the price of a lookup for Spring Session's second
			// commit
			assertThat(monitor.sent().keySet()).isSubsetOf("evalsha", "eval");
			assertThat(total(monitor.sent())).isBetween(2L * REQUESTS, 3L * REQUESTS + 2);
		}
	}

	/**
	 * A gate on the Redis ledger with every limit on, creating a session for each client.
	 */
	private static SessionGate gate(SessionRepository<? extends Session> repository, RedisSessionLedger ledger) {
		return SessionGate.builder(repository)
			.ledger(ledger)
			.limits(SessionLimits.builder()
				.maxConcurrentRequestsPerSession(8)
				.rate(new RateLimit(10_000, Duration.ofSeconds(1)))
				.absoluteTimeout(Duration.ofHours(8))
				.maxSessions(100_000)
				.build())
			.creationPolicy(CreationPolicy.ALWAYS)
			.sweepInterval(Duration.ZERO)
			.build();
	}

	/**
	 * Runs requests that count their visits in the session; checks every visit was saved.
	 */
	private RedisMonitor census(Filter filter) {
		try (JettyTestServer server = JettyTestServer.start(filter, (context) -> JettyTestServer.servlet(context,
				"/visit", RedisGateIntegrationTests.servlet((request, response) -> {
					Integer visits = (Integer) request.getSession().getAttribute("visits");
					int now = (visits != null) ? visits + 1 : 1;
					request.getSession().setAttribute("visits", now);
					response.getWriter().print(now);
				})))) {
			TestClient browser = new TestClient();
			assertThat(browser.get(server.uri("/visit")).body()).isEqualTo("1");
			RedisMonitor monitor = RedisMonitor.start(this.redis);
			for (int i = 0; i < REQUESTS; i++) {
				assertThat(browser.get(server.uri("/visit")).body()).isEqualTo(Integer.toString(i + 2));
			}
			monitor.stop(this.redis);
			return monitor;
		}
	}

	private void report(Map<String, Long> springSession, Map<String, Long> withGate) {
		long alone = total(springSession);
		long gated = total(withGate);
		long roundTrips = withGate.getOrDefault("evalsha", 0L) + withGate.getOrDefault("eval", 0L)
				- springSession.getOrDefault("evalsha", 0L) - springSession.getOrDefault("eval", 0L);
		Map<String, Long> added = new TreeMap<>();
		for (String name : new TreeSet<>(withGate.keySet())) {
			long difference = withGate.get(name) - springSession.getOrDefault(name, 0L);
			if (difference != 0) {
				added.put(name, difference);
			}
		}
		System.out.printf("Redis commands per request over %d requests of one session (INFO commandstats):%n",
				REQUESTS);
		System.out.printf("  Spring Session Data Redis alone:      %.2f commands/request %s%n",
				(double) alone / REQUESTS, springSession);
		System.out.printf("  Spring Session + SessionGate (Redis): %.2f commands/request %s%n",
				(double) gated / REQUESTS, withGate);
		System.out.printf(
				"  added by the gate: %.2f round trips/request (EVALSHA), %.2f commands/request run inside its scripts %s%n",
				(double) roundTrips / REQUESTS, (double) (gated - alone - roundTrips) / REQUESTS, added);
		assertThat(roundTrips).isLessThanOrEqualTo(2L * REQUESTS);
		// outside its scripts the gate sends nothing on the request path
		added.keySet()
			.stream()
			.filter((name) -> springSession.containsKey(name) && !name.startsWith("eval"))
			.forEach((name) -> assertThat(name).as("a command Spring Session sends too")
				.isIn("hset", "hmget", "exists", "pexpire", "hincrby", "zadd", "zrem"));
	}

	private Map<String, Long> measure(Filter filter) {
		try (JettyTestServer server = JettyTestServer.start(filter, (context) -> JettyTestServer.servlet(context,
				"/hello", RedisGateIntegrationTests.servlet((request, response) -> {
					request.getSession().setAttribute("visits", 1);
					response.getWriter().print("hello");
				})))) {
			TestClient browser = new TestClient();
			// the first request creates the session; measure the steady state after it
			assertThat(browser.get(server.uri("/hello")).statusCode()).isEqualTo(200);
			Map<String, Long> before = RedisCommandStats.calls(this.connectionFactory);
			for (int i = 0; i < REQUESTS; i++) {
				assertThat(browser.get(server.uri("/hello")).statusCode()).isEqualTo(200);
			}
			return RedisCommandStats.grown(before, RedisCommandStats.calls(this.connectionFactory));
		}
	}

	private static long total(Map<String, Long> calls) {
		return calls.values().stream().mapToLong(Long::longValue).sum();
	}

}
