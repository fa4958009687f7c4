package io.github.sessiongate.autoconfigure;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

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
				"spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
@TestPropertySource(locations = "classpath:secured-actuator.properties")
class SessionGateEndpointIntegrationTests {

	private static final String OPS = "Basic "
			+ Base64.getEncoder().encodeToString("ops:ops".getBytes(StandardCharsets.UTF_8));

	@LocalServerPort
	int port;

	@Autowired
	SessionGate gate;

	@Test
	void listingsWhenSessionsLiveThenShowReferencesAndNeverRawIds() throws Exception {
		TestBrowser alice = new TestBrowser();
		String sessionId = alice.logIn(base(), "alice");
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
		String sessionId = new TestBrowser().logIn(base(), "alice");
		Operator ops = new Operator();
		assertThat(ops.get("/actuator/sessiongate/000000000000").statusCode()).isEqualTo(404);
		assertThat(ops.get("/actuator/sessiongate/not-a-reference").statusCode()).isEqualTo(404);
		assertThat(ops.get("/actuator/sessiongate/" + sessionId).statusCode()).isEqualTo(404);
	}

	@Test
	void writeWhenCsrfTokenPresentThenEndsSessionAndTheUserIsLoggedOut() throws Exception {
		TestBrowser bob = new TestBrowser();
		String sessionId = bob.logIn(base(), "bob");
		assertThat(bob.get(base().resolve("/context")).body()).contains("\"userId\":\"bob\"");
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
		HttpResponse<String> after = bob.get(base().resolve("/context"));
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(after.body()).contains("\"userId\":null").doesNotContain(sessionId);

		// ending it again, or something that is not a live session, is a 404, never a 204
		assertThat(ops.post("/actuator/sessiongate/" + reference, "{}").statusCode()).isEqualTo(404);
		assertThat(ops.post("/actuator/sessiongate/000000000000", "{}").statusCode()).isEqualTo(404);
		assertThat(ops.post("/actuator/sessiongate/not-a-reference", "{}").statusCode()).isEqualTo(404);
	}

	@Test
	void writeWhenCsrfTokenMissingThenForbiddenAndSessionStaysLive() throws Exception {
		String sessionId = new TestBrowser().logIn(base(), "alice");
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
		TestBrowser alice = new TestBrowser();
		String sessionId = alice.logIn(base(), "alice");
		// logged in, but not an operator
		assertThat(alice.get(base().resolve("/actuator/sessiongate")).statusCode()).isEqualTo(403);
		assertThat(alice.get(base().resolve("/actuator/sessiongate/" + SessionIds.shortForm(sessionId))).statusCode())
			.isEqualTo(403);
		// not logged in at all
		assertThat(new TestBrowser().get(base().resolve("/actuator/sessiongate")).statusCode()).isEqualTo(401);
		assertThat(this.gate.admin().session(sessionId))
			.hasValueSatisfying((stats) -> assertThat(stats.status()).isEqualTo(SessionStatus.ACTIVE));
	}

	@Test
	void writeWhenInvalidStatusOrReasonThenBadRequest() throws Exception {
		String sessionId = new TestBrowser().logIn(base(), "alice");
		Operator ops = new Operator();
		String path = "/actuator/sessiongate/" + SessionIds.shortForm(sessionId);
		assertThat(ops.post(path, "{\"status\":\"ACTIVE\"}").statusCode()).isEqualTo(400);
		assertThat(ops.post(path, "{\"reason\":\"Not A Reason!\"}").statusCode()).isEqualTo(400);
		assertThat(this.gate.admin().session(sessionId))
			.hasValueSatisfying((stats) -> assertThat(stats.status()).isEqualTo(SessionStatus.ACTIVE));
	}

	@Test
	void referenceWhenNodeHasNotSeenTheSessionThenResolvedFromLedgerOrByUser() throws Exception {
		String sessionId = new TestBrowser().logIn(base(), "alice");
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
		HttpResponse<String> anonymous = new TestBrowser().get(base().resolve("/actuator/health"));
		assertThat(anonymous.statusCode()).isEqualTo(200);
		assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("sessionGate");

		HttpResponse<String> operator = new Operator().get("/actuator/health/sessionGate");
		assertThat(operator.statusCode()).isEqualTo(200);
		assertThat(operator.body()).contains("\"status\":\"UP\"")
			.contains("\"store\":\"InMemorySessionLedger\"")
			.contains("\"activeSessions\":");
	}

	private URI base() {
		return URI.create("http://localhost:" + this.port);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(base().resolve(path));
	}

	/**
	 * An operator's script: HTTP Basic, and for a write the CSRF token the previous
	 * response set in the {@code XSRF-TOKEN} cookie, sent back in {@code X-XSRF-TOKEN}.
	 */
	private final class Operator {

		private final TestBrowser client = new TestBrowser();

		HttpRequest.Builder request(String path) {
			return SessionGateEndpointIntegrationTests.this.request(path).header("Authorization", OPS);
		}

		HttpResponse<String> get(String path) throws Exception {
			return send(request(path));
		}

		HttpResponse<String> post(String path, String json) throws Exception {
			assertThat(get("/actuator/sessiongate").statusCode()).isEqualTo(200);
			return send(request(path).header("Content-Type", "application/json")
				.header("X-XSRF-TOKEN", this.client.cookie("XSRF-TOKEN"))
				.POST(HttpRequest.BodyPublishers.ofString(json)));
		}

		HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
			return this.client.send(request);
		}

	}

}
