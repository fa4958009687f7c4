package io.github.sessiongate.samples.boot;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the Boot sample on Tomcat on a random port and drives it with a real HTTP client.
 * The rate limit refills once an hour here, so the 21st request of a session is refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sessiongate.limits.rate.refill-period=1h")
class BootSampleApplicationTests {

	private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Accept", accept)
			.timeout(Duration.ofSeconds(20))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void whoamiShowsTheShortSessionReferenceAnonymousUserAndClientIp() throws Exception {
		HttpResponse<String> response = get("/whoami", "application/json");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).matches(".*\"session\":\"[0-9a-f]{12}\".*")
			.contains("\"user\":\"anonymous\"")
			.containsPattern("\"ip\":\"(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)\"");
	}

	@Test
	void asyncWorkSeesTheSessionOfTheRequest() throws Exception {
		String session = get("/whoami", "application/json").body().replaceAll(".*\"session\":\"([0-9a-f]{12})\".*",
				"$1");

		assertThat(session).matches("[0-9a-f]{12}");
		assertThat(get("/whoami/later", "application/json").body()).contains("\"session\":\"" + session + "\"");
		assertThat(get("/whoami/background", "application/json").body())
			.isEqualTo("{\"session\":\"" + session + "\"}");
	}

	@Test
	void rateLimitRefusesBrowsersWithTheErrorPageAndApiClientsWithProblemJson() throws Exception {
		for (int i = 0; i < 20; i++) {
			assertThat(get("/whoami", "application/json").statusCode()).isEqualTo(200);
		}

		HttpResponse<String> browser = get("/whoami", BROWSER_ACCEPT);
		HttpResponse<String> api = get("/whoami", "application/json");

		assertThat(browser.statusCode()).isEqualTo(429);
		assertThat(browser.headers().firstValue("Retry-After")).isPresent();
		assertThat(browser.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(browser.body()).contains("Whitelabel Error Page", "Too Many Requests", "429");
		assertThat(api.statusCode()).isEqualTo(429);
		assertThat(api.headers().firstValue("Retry-After")).isPresent();
		assertThat(api.headers().firstValue("Content-Type")).hasValue("application/problem+json;charset=UTF-8");
		assertThat(api.body()).contains("\"limit\":\"rate\"");
	}

	@Test
	void healthShowsTheSessionGateStoreWithShowDetails() throws Exception {
		HttpResponse<String> health = get("/actuator/health/sessionGate", "application/json");

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"", "\"store\":\"InMemorySessionLedger\"");
	}

}
