package io.github.sessiongate.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.events.RequestRejectedEvent;
import io.github.sessiongate.events.SessionEndedEvent;
import io.github.sessiongate.events.SessionStartedEvent;
import io.github.sessiongate.events.UserBoundEvent;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The starter in a real Boot app: Tomcat on a random port with real HTTP requests, and
 * MockMvc over the same context (its filters included).
 *
 * @author SessionGate team
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"sessiongate.creation-policy=always", "sessiongate.limits.rate.capacity=6",
		"sessiongate.limits.rate.refill-period=1h", "sessiongate.limits.max-active-requests=1",
		"sessiongate.limits.max-sessions-per-user=1", "management.endpoints.web.exposure.include=health,sessiongate",
		"management.endpoint.health.show-details=always",
		"spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
				+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
@AutoConfigureMockMvc
class SessionGateStarterIntegrationTests {

	private static final String COOKIE = "SESSION";

	@LocalServerPort
	int port;

	@Autowired
	MockMvc mvc;

	@Autowired
	SessionGate gate;

	@Autowired
	TestApplication.EventRecorder events;

	@Autowired
	TestApplication.Gate hold;

	@Autowired
	MeterRegistry meterRegistry;

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@BeforeEach
	void resetHold() {
		this.hold.reset();
	}

	@Test
	void requestWhenInControllerThenContextHolderIsPopulated() throws Exception {
		MvcResult result = this.mvc.perform(get("/context"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sessionId").isNotEmpty())
			.andExpect(jsonPath("$.clientIp").isNotEmpty())
			.andReturn();
		String sessionId = sessionIdOf(result);
		assertThat(result.getResponse().getContentAsString()).contains(sessionId);
		assertThat(this.gate.admin().session(sessionId)).hasValueSatisfying((stats) -> {
			assertThat(stats.requestCount()).isEqualTo(1);
			assertThat(stats.activeRequests()).isZero();
		});
		assertThat(this.events.events).anySatisfy((event) -> assertThat(event)
			.isInstanceOfSatisfying(SessionStartedEvent.class, (e) -> assertThat(e.sessionId()).isEqualTo(sessionId)));
	}

	@Test
	void requestWhenSessionIdMalformedThenTreatedAsNoSession() throws Exception {
		String malformed = Base64.getEncoder().encodeToString("../../etc/passwd".getBytes(StandardCharsets.UTF_8));
		MvcResult result = this.mvc.perform(get("/context").cookie(new Cookie(COOKIE, malformed)))
			.andExpect(status().isOk())
			.andReturn();
		assertThat(sessionIdOf(result)).isNotEqualTo("../../etc/passwd").hasSize(36);
	}

	@Test
	void requestWhenRateLimitExceededThenRejectsWith429Problem() throws Exception {
		MvcResult first = this.mvc.perform(get("/context")).andExpect(status().isOk()).andReturn();
		Cookie session = first.getResponse().getCookie(COOKIE);
		for (int i = 1; i < 6; i++) {
			this.mvc.perform(get("/context").cookie(session)).andExpect(status().isOk());
		}
		double rejectedBefore = rejected(Limit.RATE);
		this.mvc.perform(get("/context").cookie(session))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.limit").value("rate"))
			.andExpect(jsonPath("$.status").value(429));
		assertThat(rejected(Limit.RATE)).isEqualTo(rejectedBefore + 1);
		assertThat(this.events.events).anySatisfy((event) -> assertThat(event)
			.isInstanceOfSatisfying(RequestRejectedEvent.class, (e) -> assertThat(e.limit()).isEqualTo(Limit.RATE)));
	}

	@Test
	void requestWhenNodeAtCapacityThenRejectsWith503Problem() throws Exception {
		CompletableFuture<HttpResponse<String>> held = this.http.sendAsync(request("/hold").build(),
				HttpResponse.BodyHandlers.ofString());
		try {
			assertThat(this.hold.entered.await(10, TimeUnit.SECONDS)).isTrue();
			HttpResponse<String> rejected = this.http.send(request("/context").build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(rejected.statusCode()).isEqualTo(503);
			assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
			assertThat(rejected.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(rejected.body()).contains("\"limit\":\"capacity\"");
		}
		finally {
			this.hold.release.countDown();
		}
		assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
	}

	@Test
	void loginWhenSuccessfulThenBindsUserAndRotatesIdKeepingStats() throws Exception {
		String before = sessionCookie(send(request("/context")));
		send(request("/context").header("Cookie", COOKIE + "=" + before));
		String oldId = decode(before);
		assertThat(this.gate.admin().session(oldId))
			.hasValueSatisfying((stats) -> assertThat(stats.requestCount()).isEqualTo(2));

		HttpResponse<String> login = send(login("alice").header("Cookie", COOKIE + "=" + before));
		assertThat(login.statusCode()).isEqualTo(302);
		String after = sessionCookie(login);
		String newId = decode(after);
		assertThat(newId).isNotEqualTo(oldId);

		HttpResponse<String> context = send(request("/context").header("Cookie", COOKIE + "=" + after));
		assertThat(context.statusCode()).isEqualTo(200);
		assertThat(context.body()).contains("\"userId\":\"alice\"").contains(newId);
		SessionStats stats = this.gate.admin().session(newId).orElseThrow();
		assertThat(stats.userId()).isEqualTo("alice");
		assertThat(stats.requestCount()).isEqualTo(3);
		assertThat(this.gate.admin().session(oldId)).isEmpty();
		assertThat(this.gate.admin().sessionsOfUser("alice")).extracting(SessionStats::sessionId)
			.containsExactly(newId);
		assertThat(this.events.events).anySatisfy((event) -> assertThat(event)
			.isInstanceOfSatisfying(UserBoundEvent.class, (e) -> assertThat(e.userId()).isEqualTo("alice")));
	}

	@Test
	void loginWhenUserAtSessionLimitThenRejectsNewWith409Problem() throws Exception {
		String first = sessionCookie(send(request("/context")));
		String firstLoggedIn = sessionCookie(send(login("bob").header("Cookie", COOKIE + "=" + first)));
		assertThat(this.gate.admin().session(decode(firstLoggedIn)))
			.hasValueSatisfying((stats) -> assertThat(stats.userId()).isEqualTo("bob"));

		String second = sessionCookie(send(request("/context")));
		HttpResponse<String> refused = send(login("bob").header("Cookie", COOKIE + "=" + second));
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(refused.body()).contains("\"limit\":\"sessions-per-user\"");
		assertThat(this.gate.admin().sessionsOfUser("bob")).hasSize(1);
	}

	@Test
	void endpointWhenReadAndWriteThenReportsAndEndsSessionsByReference() throws Exception {
		String cookie = sessionCookie(send(request("/context")));
		String loggedIn = sessionCookie(send(login("carol").header("Cookie", COOKIE + "=" + cookie)));
		String sessionId = decode(loggedIn);
		String reference = SessionIds.shortForm(sessionId);

		this.mvc.perform(get("/actuator/sessiongate"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.activeSessions").isNumber())
			.andExpect(jsonPath("$.rejections.rate").isNumber());
		this.mvc.perform(get("/actuator/sessiongate/" + reference))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.reference").value(reference))
			.andExpect(jsonPath("$.sessionId").doesNotExist())
			.andExpect(jsonPath("$.userId").value("carol"))
			.andExpect(jsonPath("$.status").value("ACTIVE"));
		this.mvc.perform(get("/actuator/sessiongate").param("user", "carol"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sessions[0].reference").value(reference));
		this.mvc.perform(get("/actuator/sessiongate").param("status", "active"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sessions").isArray())
			.andExpect(content().string(not(containsString(sessionId))));
		this.mvc.perform(get("/actuator/sessiongate/unknown-session")).andExpect(status().isNotFound());
		this.mvc.perform(get("/actuator/sessiongate/" + sessionId)).andExpect(status().isNotFound());

		this.mvc
			.perform(post("/actuator/sessiongate/" + reference).contentType(MediaType.APPLICATION_JSON)
				.content("{\"status\":\"COMPLETED\",\"reason\":\"admin-logout\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("COMPLETED"))
			.andExpect(jsonPath("$.endReason").value("admin-logout"));
		assertThat(this.gate.admin().session(sessionId))
			.hasValueSatisfying((stats) -> assertThat(stats.status()).isEqualTo(SessionStatus.COMPLETED));
		assertThat(this.events.events)
			.anySatisfy((event) -> assertThat(event).isInstanceOfSatisfying(SessionEndedEvent.class,
					(e) -> assertThat(e.stats().sessionId()).isEqualTo(sessionId)));
		this.mvc
			.perform(post("/actuator/sessiongate/" + reference).contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/actuator/health/sessionGate"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.details.store").value("InMemorySessionLedger"));
	}

	@Test
	void metricsWhenAppHasMeterRegistryThenGateMetersAreBound() {
		assertThat(this.meterRegistry.get(SessionGateMetrics.REQUESTS_ACTIVE).gauge().value())
			.isEqualTo(this.gate.activeRequests());
		assertThat(this.meterRegistry.get(SessionGateMetrics.SESSIONS_ACTIVE).gauge().value())
			.isEqualTo(this.gate.admin().activeSessions());
		assertThat(this.meterRegistry.get(SessionGateMetrics.REQUESTS_REJECTED)
			.tag("limit", "rate")
			.functionCounter()
			.count()).isEqualTo(this.gate.admin().rejections(Limit.RATE));
	}

	private double rejected(Limit limit) {
		return this.meterRegistry.get(SessionGateMetrics.REQUESTS_REJECTED)
			.tag("limit", limit.tag())
			.functionCounter()
			.count();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private HttpRequest.Builder login(String user) {
		return request("/login").header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=pw"));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String sessionCookie(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((value) -> value.startsWith(COOKIE + "="))
			.map((value) -> value.substring(COOKIE.length() + 1, value.indexOf(';')))
			.filter((value) -> !value.isEmpty())
			.reduce((first, second) -> second)
			.orElseThrow(() -> new AssertionError("no session cookie in " + response.headers()));
	}

	private static String sessionIdOf(MvcResult result) {
		Cookie cookie = result.getResponse().getCookie(COOKIE);
		assertThat(cookie).as("session cookie").isNotNull();
		return decode(cookie.getValue());
	}

	private static String decode(String cookieValue) {
		return new String(Base64.getDecoder().decode(cookieValue), StandardCharsets.UTF_8);
	}

}
