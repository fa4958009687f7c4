package io.github.sessiongate.autoconfigure;

import java.util.Map;

import io.github.sessiongate.testsupport.RedisMonitor;
import io.github.sessiongate.testsupport.RedisTestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counts the Redis round trips of a logged-in user's requests through Spring Security and
 * the starter on Tomcat, with each session repository (two nodes of
 * {@link SessionControlTestApplication} on the shared Redis, {@code MONITOR}).
 */
class BootRedisRoundTripTests {

	private static final int REQUESTS = 50;

	@Test
	void loggedInUserWhenSessionGateStoresSessionsThenFewerRoundTripsThanWithSpringSessionsRepository()
			throws Exception {
		Map<String, Long> springSession = measure("sessiongate.redis.session-repository=spring-session");
		Map<String, Long> sessionGate = measure("sessiongate.redis.session-repository=sessiongate");
		System.out.printf("Redis commands sent per request of a logged-in user (Spring Security, %d requests):%n",
				REQUESTS);
		System.out.printf("  Spring Session's repository + gate: %.2f %s%n", perRequest(springSession), springSession);
		System.out.printf("  SessionGate's repository:           %.2f %s%n", perRequest(sessionGate), sessionGate);
		// Spring Security loads the session before the gate (1), the gate admits (1) and
		// the request's end saves (1); every other lookup in the request is served from
		// it
		assertThat(perRequest(sessionGate)).isLessThanOrEqualTo(3.0).isLessThan(perRequest(springSession));
		assertThat(sessionGate.keySet()).containsOnly("evalsha");
	}

	private static Map<String, Long> measure(String repository) throws Exception {
		try (SessionControlNodes nodes = new SessionControlNodes(false, null, repository)) {
			TestBrowser browser = new TestBrowser();
			browser.logIn(nodes.uri(0), "bob");
			assertThat(browser.get(nodes.uri(1, "/context")).statusCode()).isEqualTo(200);
			RedisMonitor monitor = RedisMonitor.start(RedisTestServer.shared());
			for (int i = 0; i < REQUESTS; i++) {
				assertThat(browser.get(nodes.uri(i % 2, "/context")).statusCode()).isEqualTo(200);
			}
			monitor.stop(RedisTestServer.shared());
			return monitor.sent();
		}
	}

	private static double perRequest(Map<String, Long> sent) {
		return (double) sent.values().stream().mapToLong(Long::longValue).sum() / REQUESTS;
	}

}
