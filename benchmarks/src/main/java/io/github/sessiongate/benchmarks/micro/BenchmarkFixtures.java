package io.github.sessiongate.benchmarks.micro;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import jakarta.servlet.http.Cookie;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Shared settings of the benchmarks: every limit switched on, with values high enough
 * that nothing is ever rejected, so the measured path is the full admission path.
 */
public final class BenchmarkFixtures {

	/** The trusted proxy network used wherever forwarding headers are measured. */
	public static final String TRUSTED_PROXIES = "10.0.0.0/8";

	private BenchmarkFixtures() {
	}

	/**
	 * Every limit on, none ever reached by a benchmark.
	 * @return the limits
	 */
	public static SessionLimits allLimitsOn() {
		return SessionLimits.builder()
			.maxConcurrentRequestsPerSession(10_000)
			.maxActiveRequests(100_000)
			.rate(new RateLimit(1_000_000_000_000L, Duration.ofSeconds(1)))
			.maxSessionsPerUser(1_000)
			.sessionsPerUserPolicy(SessionsPerUserPolicy.REJECT_NEW)
			.maxSessions(100_000_000L)
			.absoluteTimeout(Duration.ofDays(1))
			.build();
	}

	/**
	 * A request as it arrives through a trusted proxy with a session cookie, tenant and
	 * device headers.
	 * @param sessionId the session id (cookie-encoded like Spring Session does)
	 * @return the mock request
	 */
	public static MockHttpServletRequest proxiedRequest(String sessionId) {
		LeanRequest request = new LeanRequest("GET", "/hello");
		request.setRemoteAddr("10.0.0.2");
		request.header("X-Forwarded-For", "203.0.113.7, 10.0.0.9")
			.header("X-Tenant", "acme")
			.header("X-Device", "device-1")
			.header("User-Agent", "bench/1.0");
		if (sessionId != null) {
			request.setCookies(new Cookie("SESSION",
					Base64.getEncoder().encodeToString(sessionId.getBytes(StandardCharsets.UTF_8))));
		}
		return request;
	}

}
