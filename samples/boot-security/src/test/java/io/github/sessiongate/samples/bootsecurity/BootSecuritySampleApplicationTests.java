package io.github.sessiongate.samples.bootsecurity;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the Boot + Spring Security sample on Tomcat and logs in through the real login
 * form with real HTTP clients, one per browser.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class BootSecuritySampleApplicationTests {

	private static final Pattern FORM_CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final Pattern JSON_TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Test
	void loginBindsTheUserToTheSession() throws Exception {
		Browser alice = new Browser();

		assertThat(alice.login("alice", "alice").statusCode()).isEqualTo(302);
		HttpResponse<String> me = alice.get("/me");

		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(me.body()).contains("\"user\":\"alice\"").containsPattern("\"session\":\"[0-9a-f]{12}\"");
	}

	@Test
	void loginBeyondTheUsersSessionLimitIsRefusedWith409() throws Exception {
		Browser first = new Browser();
		assertThat(first.login("alice", "alice").statusCode()).isEqualTo(302);
		assertThat(first.get("/me").statusCode()).isEqualTo(200);

		HttpResponse<String> refused = new Browser().login("alice", "alice");

		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(refused.body()).contains("\"limit\":\"sessions-per-user\"");
		assertThat(first.get("/me").statusCode()).isEqualTo(200);
	}

	@Test
	void endpointPostNeedsTheCsrfToken() throws Exception {
		Browser admin = new Browser();
		admin.login("admin", "admin");
		String unknownSession = "/actuator/sessiongate/0123456789abcdef0123456789abcdef";

		HttpResponse<String> withoutToken = admin.post(unknownSession, "{}", null);
		String token = match(JSON_TOKEN, admin.get("/csrf").body());
		HttpResponse<String> withToken = admin.post(unknownSession, "{}", token);

		assertThat(withoutToken.statusCode()).isEqualTo(403);
		// the endpoint's write operation answers 204 when there is no such session
		assertThat(withToken.statusCode()).isEqualTo(204);
	}

	@Test
	void healthDetailsAreShownOnlyToAuthorizedUsers() throws Exception {
		Browser anonymous = new Browser();
		Browser admin = new Browser();
		admin.login("admin", "admin");

		HttpResponse<String> forAnonymous = anonymous.get("/actuator/health/sessionGate");
		HttpResponse<String> forAdmin = admin.get("/actuator/health/sessionGate");

		assertThat(forAnonymous.statusCode()).isEqualTo(404);
		assertThat(forAdmin.statusCode()).isEqualTo(200);
		assertThat(forAdmin.body()).contains("\"store\":\"InMemorySessionLedger\"");
	}

	private static String match(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
		return matcher.group(1);
	}

	/**
	 * One browser: a cookie jar and no automatic redirects.
	 */
	private final class Browser {

		private final HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
			String csrf = match(FORM_CSRF, get("/login").body());
			String form = "username=" + user + "&password=" + password + "&_csrf="
					+ URLEncoder.encode(csrf, StandardCharsets.UTF_8);
			return send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form)));
		}

		HttpResponse<String> get(String path) throws IOException, InterruptedException {
			return send(request(path).GET());
		}

		HttpResponse<String> post(String path, String json, String csrfToken) throws IOException, InterruptedException {
			HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json));
			if (csrfToken != null) {
				request.header("X-CSRF-TOKEN", csrfToken);
			}
			return send(request);
		}

		private HttpRequest.Builder request(String path) {
			return HttpRequest.newBuilder(URI.create("http://localhost:" + BootSecuritySampleApplicationTests.this.port + path))
				.timeout(Duration.ofSeconds(20));
		}

		private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

	}

}
