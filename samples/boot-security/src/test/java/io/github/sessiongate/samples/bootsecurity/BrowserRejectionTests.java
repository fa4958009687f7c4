package io.github.sessiongate.samples.bootsecurity;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind Spring Security, a logged-in browser refused by a limit gets Boot's error page with
 * the status and {@code Retry-After}; a script gets problem+json. Two requests per hour per
 * session here: the login takes one (the session is tracked from its login on), the first
 * page the second, so the next request is refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sessiongate.limits.rate.capacity=2", "sessiongate.limits.rate.refill-period=1h" })
class BrowserRejectionTests {

	private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

	@LocalServerPort
	int port;

	@Test
	void loggedInBrowserRefusedByALimitGetsTheErrorPage() throws Exception {
		Browser alice = new Browser(this.port);
		assertThat(alice.login("alice", "alice").statusCode()).isEqualTo(302);
		assertThat(alice.get("/me", BROWSER_ACCEPT).statusCode()).isEqualTo(200);

		HttpResponse<String> page = alice.get("/me", BROWSER_ACCEPT);
		HttpResponse<String> script = alice.get("/me", "*/*");

		assertThat(page.statusCode()).isEqualTo(429);
		assertThat(page.headers().firstValue("Retry-After")).isPresent();
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("Whitelabel Error Page", "Too Many Requests");
		assertThat(script.statusCode()).isEqualTo(429);
		assertThat(script.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

}
