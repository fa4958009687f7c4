package io.github.sessiongate.samples.bootsecurity;

import java.net.http.HttpResponse;
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

	private static final Pattern JSON_TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Test
	void loginBindsTheUserToTheSession() throws Exception {
		Browser alice = new Browser(this.port);

		assertThat(alice.login("alice", "alice").statusCode()).isEqualTo(302);
		HttpResponse<String> me = alice.get("/me");

		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(me.body()).contains("\"user\":\"alice\"").containsPattern("\"session\":\"[0-9a-f]{12}\"");
	}

	@Test
	void loginBeyondTheUsersSessionLimitIsRefusedWith409() throws Exception {
		Browser first = new Browser(this.port);
		assertThat(first.login("alice", "alice").statusCode()).isEqualTo(302);
		assertThat(first.get("/me").statusCode()).isEqualTo(200);

		HttpResponse<String> refused = new Browser(this.port).login("alice", "alice");

		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(refused.body()).contains("\"limit\":\"sessions-per-user\"");
		assertThat(first.get("/me").statusCode()).isEqualTo(200);
	}

	@Test
	void mySessionsListsTheCallersSessionAndSignOutOthersNeedsTheCsrfToken() throws Exception {
		Browser alice = new Browser(this.port);
		alice.login("alice", "alice");
		String reference = match(Pattern.compile("\"session\":\"([0-9a-f]{12})\""), alice.get("/me").body());

		HttpResponse<String> sessions = alice.get("/my/sessions");
		HttpResponse<String> withoutToken = alice.post("/my/sessions/sign-out-others", "", null);
		String token = match(JSON_TOKEN, alice.get("/csrf").body());
		HttpResponse<String> withToken = alice.post("/my/sessions/sign-out-others", "", token);

		assertThat(sessions.statusCode()).isEqualTo(200);
		assertThat(sessions.body()).contains("\"reference\":\"" + reference + "\"", "\"caller\":true");
		assertThat(withoutToken.statusCode()).isEqualTo(403);
		assertThat(withToken.statusCode()).isEqualTo(200);
		assertThat(withToken.body()).isEqualTo("{\"ended\":0}");
		assertThat(alice.get("/me").statusCode()).isEqualTo(200);
	}

	@Test
	void endpointPostNeedsTheCsrfToken() throws Exception {
		Browser admin = new Browser(this.port);
		admin.login("admin", "admin");
		String unknownSession = "/actuator/sessiongate/0123456789abcdef0123456789abcdef";

		HttpResponse<String> withoutToken = admin.post(unknownSession, "{}", null);
		String token = match(JSON_TOKEN, admin.get("/csrf").body());
		HttpResponse<String> withToken = admin.post(unknownSession, "{}", token);

		assertThat(withoutToken.statusCode()).isEqualTo(403);
		// past CSRF, the endpoint's write operation answers 404: no session has that
		// reference
		assertThat(withToken.statusCode()).isEqualTo(404);
	}

	@Test
	void healthDetailsAreShownOnlyToAuthorizedUsers() throws Exception {
		Browser anonymous = new Browser(this.port);
		Browser admin = new Browser(this.port);
		admin.login("admin", "admin");

		HttpResponse<String> forAnonymous = anonymous.get("/actuator/health/sessionGate");
		HttpResponse<String> forAdmin = admin.get("/actuator/health/sessionGate");

		assertThat(forAnonymous.statusCode()).isEqualTo(404);
		assertThat(forAdmin.statusCode()).isEqualTo(200);
		assertThat(forAdmin.body()).contains("\"store\":\"InMemorySessionLedger\"");
	}

	private static String match(Pattern pattern, String text) {
		return Browser.match(pattern, text);
	}
}
