package io.github.sessiongate.autoconfigure;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code sessiongate} endpoint and health indicator in a real Boot app on a random
 * port, secured with Spring Security (CSRF protection on, HTTP Basic for operators): no
 * response ever carries a raw session id, references resolve to sessions, and the write
 * operation answers 404 for anything it cannot end.
 *
 * @author SessionGate team
 */
@SpringBootTest(classes = SecuredActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sessiongate.creation-policy=always", "sessiongate.excluded-paths=/actuator/**",
				"management.endpoints.web.exposure.include=health,sessiongate",
				"management.endpoint.health.show-details=when-authorized", "management.endpoint.health.roles=OPS",
				"spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
class SessionGateEndpointIntegrationTests {

	private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final String OPS = "Basic "
			+ Base64.getEncoder().encodeToString("ops:ops".getBytes(StandardCharsets.UTF_8));

	@LocalServerPort
	int port;

	@Autowired
	SessionGate gate;

	@Test
	void listingsWhenSessionsLiveThenShowReferencesAndNeverRawIds() throws Exception {
		Browser alice = new Browser();
		String sessionId = alice.logIn("alice");
		Operator ops = new Operator();

		HttpResponse<String> byUser = ops.get("/actuator/sessiongate?user=alice");
		assertThat(byUser.statusCode()).isEqualTo(200);
		assertThat(byUser.body()).contains("\"reference\":\"" + SessionIds.shortForm(sessionId) + "\"")
			.contains("\"userId\":\"alice\"")
			.doesNotContain(sessionId)
			.doesNotContain("sessionId");

		HttpResponse<String> byStatus = ops.get("/actuator/sessiongate?status=active&max=1000");
		assertThat(byStatus.statusCode()).isEqualTo(200);
		assertThat(byStatus.body()).contains(SessionIds.shortForm(sessionId)).doesNotContain(sessionId);
		for (SessionStats live : this.gate.admin().sessionsWithStatus(SessionStatus.ACTIVE, 1000)) {
			assertThat(byStatus.body()).doesNotContain(live.sessionId());
		}

		HttpResponse<String> one = ops.get("/actuator/sessiongate/" + SessionIds.shortForm(sessionId));
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(one.body()).contains("\"userId\":\"alice\"")
			.contains("\"status\":\"ACTIVE\"")
			.doesNotContain(sessionId);
	}

	@Test
	void readWhenReferenceUnknownOrMalformedOrRawIdThenNotFound() throws Exception {
		String sessionId = new Browser().logIn("alice");
		Operator ops = new Operator();
		assertThat(ops.get("/actuator/sessiongate/000000000000").statusCode()).isEqualTo(404);
		assertThat(ops.get("/actuator/sessiongate/not-a-reference").statusCode()).isEqualTo(404);
		assertThat(ops.get("/actuator/sessiongate/" + sessionId).statusCode()).isEqualTo(404);
	}

	@Test
	void writeWhenCsrfTokenPresentThenEndsSessionAndTheUserIsLoggedOut() throws Exception {
		Browser bob = new Browser();
		String sessionId = bob.logIn("bob");
		assertThat(bob.get("/context").body()).contains("\"userId\":\"bob\"");
		String reference = SessionIds.shortForm(sessionId);
		Operator ops = new Operator();

		HttpResponse<String> ended = ops.post("/actuator/sessiongate/" + reference,
				"{\"status\":\"COMPLETED\",\"reason\":\"admin-logout\"}");
		assertThat(ended.statusCode()).isEqualTo(200);
		assertThat(ended.body()).contains("\"reference\":\"" + reference + "\"")
			.contains("\"status\":\"COMPLETED\"")
			.contains("\"endReason\":\"admin-logout\"")
			.doesNotContain(sessionId);
		assertThat(this.gate.admin().session(sessionId))
			.hasValueSatisfying((stats) -> assertThat(stats.status()).isEqualTo(SessionStatus.COMPLETED));
		HttpResponse<String> after = bob.get("/context");
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(after.body()).contains("\"userId\":null").doesNotContain(sessionId);

		// ending it again, or something that is not a live session, is a 404, never a 204
		assertThat(ops.post("/actuator/sessiongate/" + reference, "{}").statusCode()).isEqualTo(404);
		assertThat(ops.post("/actuator/sessiongate/000000000000", "{}").statusCode()).isEqualTo(404);
		assertThat(ops.post("/actuator/sessiongate/not-a-reference", "{}").statusCode()).isEqualTo(404);
	}

	@Test
	void writeWhenCsrfTokenMissingThenForbiddenAndSessionStaysLive() throws Exception {
		String sessionId = new Browser().logIn("alice");
		Operator ops = new Operator();
		HttpResponse<String> refused = ops.send(ops.request("/actuator/sessiongate/" + SessionIds.shortForm(sessionId))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(this.gate.admin().session(sessionId))
			.hasValueSatisfying((stats) -> assertThat(stats.status()).isEqualTo(SessionStatus.ACTIVE));
	}

	@Test
	void endpointWhenNotAnOperatorThenRefused() throws Exception {
		Browser alice = new Browser();
		String sessionId = alice.logIn("alice");
		// logged in, but not an operator
		assertThat(alice.get("/actuator/sessiongate").statusCode()).isEqualTo(403);
		assertThat(alice.get("/actuator/sessiongate/" + SessionIds.shortForm(sessionId)).statusCode()).isEqualTo(403);
		// not logged in at all
		assertThat(new Browser().get("/actuator/sessiongate").statusCode()).isEqualTo(401);
		assertThat(this.gate.admin().session(sessionId))
			.hasValueSatisfying((stats) -> assertThat(stats.status()).isEqualTo(SessionStatus.ACTIVE));
	}

	@Test
	void writeWhenInvalidStatusOrReasonThenBadRequest() throws Exception {
		String sessionId = new Browser().logIn("alice");
		Operator ops = new Operator();
		String path = "/actuator/sessiongate/" + SessionIds.shortForm(sessionId);
		assertThat(ops.post(path, "{\"status\":\"ACTIVE\"}").statusCode()).isEqualTo(400);
		assertThat(ops.post(path, "{\"reason\":\"Not A Reason!\"}").statusCode()).isEqualTo(400);
		assertThat(this.gate.admin().session(sessionId))
			.hasValueSatisfying((stats) -> assertThat(stats.status()).isEqualTo(SessionStatus.ACTIVE));
	}

	@Test
	void referenceWhenNodeHasNotSeenTheSessionThenResolvedFromLedgerOrByUser() throws Exception {
		String sessionId = new Browser().logIn("alice");
		// a fresh endpoint remembers nothing, like another node's behind a load balancer
		SessionGateEndpoint otherNode = new SessionGateEndpoint(this.gate);
		String reference = SessionIds.shortForm(sessionId);
		assertThat(otherNode.session(reference, null)).isNotNull();
		SessionGateEndpoint anotherNode = new SessionGateEndpoint(this.gate);
		SessionGateEndpoint.SessionView ended = anotherNode.endSession(reference, null, null, "alice");
		assertThat(ended).isNotNull();
		assertThat(ended.status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(ended.endReason()).isEqualTo(SessionGateEndpoint.DEFAULT_END_REASON);
		assertThat(anotherNode.endSession(reference, null, null, "bob")).isNull();
	}

	@Test
	void healthWhenAnonymousThenStatusOnlyAndWhenOperatorThenDetails() throws Exception {
		HttpResponse<String> anonymous = new Browser().get("/actuator/health");
		assertThat(anonymous.statusCode()).isEqualTo(200);
		assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("sessionGate");

		HttpResponse<String> operator = new Operator().get("/actuator/health/sessionGate");
		assertThat(operator.statusCode()).isEqualTo(200);
		assertThat(operator.body()).contains("\"status\":\"UP\"")
			.contains("\"store\":\"InMemorySessionLedger\"")
			.contains("\"activeSessions\":");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	/**
	 * A browser: keeps its cookies, logs in through the form with its CSRF token.
	 */
	private final class Browser {

		final CookieManager cookies = new CookieManager();

		final HttpClient http = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();

		String logIn(String user) throws Exception {
			HttpResponse<String> page = get("/login");
			Matcher csrf = CSRF_FIELD.matcher(page.body());
			assertThat(csrf.find()).as("CSRF field in the login page").isTrue();
			HttpResponse<String> login = send(request("/login")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=pw&_csrf=" + csrf.group(1))));
			assertThat(login.statusCode()).isEqualTo(302);
			assertThat(login.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/context"));
			// like a browser, follow the redirect: the login page and the login itself
			// are
			// answered inside Spring Security's chain, so this is the session's first
			// request through the gate
			HttpResponse<String> landing = get("/context");
			assertThat(landing.body()).contains("\"userId\":\"" + user + "\"");
			return sessionId();
		}

		String sessionId() {
			return this.cookies.getCookieStore()
				.getCookies()
				.stream()
				.filter((cookie) -> cookie.getName().equals("SESSION"))
				.map(HttpCookie::getValue)
				.map((value) -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8))
				.findFirst()
				.orElseThrow();
		}

		HttpResponse<String> get(String path) throws Exception {
			return send(request(path));
		}

		HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

	}

	/**
	 * An operator's script: HTTP Basic, and for a write the CSRF token the previous
	 * response set in the {@code XSRF-TOKEN} cookie, sent back in {@code X-XSRF-TOKEN}.
	 */
	private final class Operator {

		final CookieManager cookies = new CookieManager();

		final HttpClient http = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();

		HttpRequest.Builder request(String path) {
			return SessionGateEndpointIntegrationTests.this.request(path).header("Authorization", OPS);
		}

		HttpResponse<String> get(String path) throws Exception {
			return send(request(path));
		}

		HttpResponse<String> post(String path, String json) throws Exception {
			String token = csrfToken();
			return send(request(path).header("Content-Type", "application/json")
				.header("X-XSRF-TOKEN", token)
				.POST(HttpRequest.BodyPublishers.ofString(json)));
		}

		String csrfToken() throws Exception {
			assertThat(get("/actuator/sessiongate").statusCode()).isEqualTo(200);
			return this.cookies.getCookieStore()
				.getCookies()
				.stream()
				.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
				.map(HttpCookie::getValue)
				.findFirst()
				.orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie"));
		}

		HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

	}

}
