package io.github.sessiongate.web;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.events.JsonLinesEventLogger;
import io.github.sessiongate.events.RequestRejectedEvent;
import io.github.sessiongate.events.SessionEndedEvent;
import io.github.sessiongate.events.SessionGateEvent;
import io.github.sessiongate.events.SessionStartedEvent;
import io.github.sessiongate.events.TenantMismatchEvent;
import io.github.sessiongate.events.UserBoundEvent;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.ErrorRatePolicy;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.MutableClock;
import io.github.sessiongate.testsupport.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session policies on real Jetty: exact boundaries, concurrent binds, id rotation,
 * tenants, timeouts, the error-rate policy, events, and that nothing is left behind.
 */
class SessionPoliciesIntegrationTests {

	private final TestApp app = new TestApp();

	private final Map<String, Session> store = new ConcurrentHashMap<>();

	private final MutableClock clock = MutableClock.startingNow();

	private final InMemorySessionLedger ledger = new InMemorySessionLedger(this.clock, Duration.ofMinutes(5));

	private final List<SessionGateEvent> events = new CopyOnWriteArrayList<>();

	private SessionGate gate;

	private JettyTestServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.close();
		}
		if (this.gate != null) {
			this.gate.close();
		}
		this.app.close();
	}

	private void start(SessionLimits limits, UnaryOperator<SessionGate.Builder> customizer) {
		SessionGate.Builder builder = SessionGate.builder(new MapSessionRepository(this.store))
			.creationPolicy(CreationPolicy.ALWAYS)
			.ledger(this.ledger)
			.clock(this.clock)
			.limits(limits)
			.sweepInterval(Duration.ZERO)
			.userIdResolver((request) -> request.getHeader("X-User"))
			.listener(this.events::add);
		this.gate = customizer.apply(builder).build();
		this.app.sessionGate = this.gate;
		this.server = this.app.start(this.gate.filter());
	}

	private HttpResponse<String> get(TestClient client, String path) {
		return client.get(this.server.uri(path));
	}

	private HttpResponse<String> getAs(TestClient client, String path, String user) {
		return client.get(this.server.uri(path), Map.of("X-User", user));
	}

	@Test
	void rateLimitWhenBucketEmptyThenKthPassesAndNextIsRefusedWithComputedRetryAfter() {
		start(SessionLimits.builder().rate(new RateLimit(3, Duration.ofSeconds(6))).build(), (b) -> b);
		TestClient client = new TestClient();
		HttpResponse<String> first = get(client, "/context");
		assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"session\";q=3;w=6");
		assertThat(first.headers().firstValue("RateLimit")).hasValue("\"session\";r=2;t=2");
		assertThat(get(client, "/context").statusCode()).isEqualTo(200);
		HttpResponse<String> third = get(client, "/context");
		assertThat(third.statusCode()).isEqualTo(200);
		assertThat(third.headers().firstValue("RateLimit")).hasValue("\"session\";r=0;t=6");

		HttpResponse<String> refused = get(client, "/context");
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
		assertThat(refused.headers().firstValue("RateLimit")).hasValue("\"session\";r=0;t=2");
		assertThat(refused.body()).contains("\"limit\":\"rate\"");

		this.clock.advance(Duration.ofMillis(1999));
		assertThat(get(client, "/context").statusCode()).isEqualTo(429);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(get(client, "/context").statusCode()).isEqualTo(200);
		assertThat(get(client, "/context").statusCode()).isEqualTo(429);

		SessionStats stats = this.gate.admin().session(client.sessionId()).orElseThrow();
		assertThat(stats.requestCount()).isEqualTo(4);
		assertThat(stats.rejectionCount()).isEqualTo(3);
		assertThat(this.gate.rejections(Limit.RATE)).isEqualTo(3);
	}

	@Test
	void rateLimitWhenHeadersSwitchedOffThenOnlyRetryAfterIsSent() {
		start(SessionLimits.builder().rate(new RateLimit(1, Duration.ofSeconds(1))).build(),
				(b) -> b.rateLimitHeaders(false));
		TestClient client = new TestClient();
		assertThat(get(client, "/context").headers().firstValue("RateLimit")).isEmpty();
		HttpResponse<String> refused = get(client, "/context");
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("RateLimit")).isEmpty();
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
	}

	@Test
	void sessionsPerUserWhenManyLoginsAtOnceThenNeverMoreThanLimitLiveSessions() throws Exception {
		int limit = 3;
		start(SessionLimits.builder().maxSessionsPerUser(limit).build(), (b) -> b);
		int clients = 16;
		AtomicInteger bound = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		List<HttpResponse<String>> refusals = new CopyOnWriteArrayList<>();
		SessionGateFilterIntegrationTests.runConcurrently(clients, () -> {
			HttpResponse<String> response = getAs(new TestClient(), "/context", "alice");
			if (response.statusCode() == 200) {
				bound.incrementAndGet();
			}
			else if (response.statusCode() == 409) {
				refused.incrementAndGet();
				refusals.add(response);
			}
		});

		assertThat(bound.get()).isEqualTo(limit);
		assertThat(refused.get()).isEqualTo(clients - limit);
		assertThat(refusals.get(0).body()).contains("\"limit\":\"sessions-per-user\"").contains("\"status\":409");
		assertThat(this.gate.admin().sessionsOfUser("alice")).hasSize(limit)
			.allSatisfy((stats) -> assertThat(stats.status()).isEqualTo(SessionStatus.ACTIVE));
		assertThat(this.gate.rejections(Limit.SESSIONS_PER_USER)).isEqualTo(clients - limit);
		assertThat(this.events).filteredOn(UserBoundEvent.class::isInstance).hasSize(limit);
	}

	@Test
	void sessionsPerUserWhenPolicyEndOldestThenLeastRecentlyActiveSessionIsEnded() {
		start(SessionLimits.builder()
			.maxSessionsPerUser(2)
			.sessionsPerUserPolicy(SessionsPerUserPolicy.END_OLDEST)
			.build(), (b) -> b);
		TestClient laptop = new TestClient();
		TestClient phone = new TestClient();
		TestClient tablet = new TestClient();
		getAs(laptop, "/context", "bob");
		this.clock.advance(Duration.ofSeconds(1));
		getAs(phone, "/context", "bob");
		this.clock.advance(Duration.ofSeconds(1));
		getAs(laptop, "/context", "bob"); // the laptop is now more recently active than
											// the phone
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(getAs(tablet, "/context", "bob").statusCode()).isEqualTo(200);

		SessionStats phoneStats = this.gate.admin().session(phone.sessionId()).orElseThrow();
		assertThat(phoneStats.status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(phoneStats.endReason()).isEqualTo("session-limit");
		assertThat(this.store).doesNotContainKey(phone.sessionId());
		assertThat(this.gate.admin().sessionsOfUser("bob")).filteredOn((s) -> s.status() == SessionStatus.ACTIVE)
			.extracting(SessionStats::sessionId)
			.containsExactlyInAnyOrder(laptop.sessionId(), tablet.sessionId());
	}

	@Test
	void bindUserWhenLoginThenIdRotatesAndStatsFollowTheNewId() {
		start(SessionLimits.none(), (b) -> b);
		TestClient client = new TestClient();
		get(client, "/context");
		get(client, "/context");
		String before = client.sessionId();

		HttpResponse<String> login = get(client, "/login?user=carol");

		String after = client.sessionId();
		assertThat(login.body()).isEqualTo("BOUND " + after);
		assertThat(after).isNotEqualTo(before);
		assertThat(this.store).containsKey(after).doesNotContainKey(before);
		assertThat(this.gate.admin().session(before)).isEmpty();
		SessionStats stats = this.gate.admin().session(after).orElseThrow();
		assertThat(stats.userId()).isEqualTo("carol");
		assertThat(stats.requestCount()).isEqualTo(3);
		assertThat(this.gate.admin().sessionsOfUser("carol")).extracting(SessionStats::sessionId)
			.containsExactly(after);
		assertThat(get(client, "/context").body()).contains("session=" + after).contains("user=carol");
		assertThat(this.gate.admin().session(after).orElseThrow().requestCount()).isEqualTo(4);
	}

	@Test
	void bindUserWhenUserAtLimitWithRejectNewThenLoginIsRefusedAndSessionStaysAnonymous() {
		start(SessionLimits.builder().maxSessionsPerUser(1).build(), (b) -> b);
		TestClient first = new TestClient();
		TestClient second = new TestClient();
		assertThat(get(first, "/login?user=dave").statusCode()).isEqualTo(200);
		HttpResponse<String> refused = get(second, "/login?user=dave");

		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("sessions-per-user");
		assertThat(this.gate.admin().session(second.sessionId()).orElseThrow().userId()).isNull();
		assertThat(this.gate.admin().sessionsOfUser("dave")).hasSize(1);
	}

	@Test
	void tenantWhenSessionPresentedUnderAnotherTenantThenTreatedAsNoSessionAndCounted() {
		start(SessionLimits.none(), (b) -> b.creationPolicy(CreationPolicy.IF_REQUIRED).tenantHeader("X-Tenant-Id"));
		TestClient client = new TestClient();
		client.get(this.server.uri("/create-session"), Map.of("X-Tenant-Id", "acme"));
		String acmeSession = client.sessionId();

		HttpResponse<String> foreign = client.get(this.server.uri("/context"), Map.of("X-Tenant-Id", "globex"));
		HttpResponse<String> noTenant = client.get(this.server.uri("/context"));

		assertThat(foreign.statusCode()).isEqualTo(200);
		assertThat(foreign.body()).contains("session=null").contains("tenant=globex");
		assertThat(noTenant.body()).contains("session=null");
		assertThat(this.gate.tenantMismatches()).isEqualTo(2);
		assertThat(this.gate.admin().summary().tenantMismatches()).isEqualTo(2);
		assertThat(this.events).filteredOn(TenantMismatchEvent.class::isInstance).hasSize(2);
		SessionStats acme = this.gate.admin().session(acmeSession).orElseThrow();
		assertThat(acme.tenant()).isEqualTo("acme");
		assertThat(acme.requestCount()).isEqualTo(1);
		assertThat(this.store).containsKey(acmeSession);
		assertThat(client.get(this.server.uri("/context"), Map.of("X-Tenant-Id", "acme")).body())
			.contains("session=" + acmeSession);
	}

	@Test
	void maxSessionsWhenTenantFullThenNewSessionsGet503AndNothingIsStored() {
		start(SessionLimits.builder().maxSessions(2).build(), (b) -> b);
		TestClient one = new TestClient();
		TestClient two = new TestClient();
		assertThat(get(one, "/context").statusCode()).isEqualTo(200);
		assertThat(get(two, "/context").statusCode()).isEqualTo(200);

		HttpResponse<String> refused = get(new TestClient(), "/context");

		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).contains("\"limit\":\"max-sessions\"");
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(this.store).hasSize(2);
		assertThat(get(one, "/context").statusCode()).isEqualTo(200);
		this.gate.admin().endSession(two.sessionId(), SessionStatus.COMPLETED, "logout");
		assertThat(get(new TestClient(), "/context").statusCode()).isEqualTo(200);
		assertThat(this.gate.rejections(Limit.MAX_SESSIONS)).isEqualTo(1);
	}

	@Test
	void absoluteTimeoutWhenSessionTooOldThenEndedOnNextRequestWhateverItsActivity() {
		start(SessionLimits.builder().absoluteTimeout(Duration.ofHours(1)).build(), (b) -> b);
		TestClient client = new TestClient();
		get(client, "/context");
		String original = client.sessionId();
		for (int i = 0; i < 2; i++) {
			this.clock.advance(Duration.ofMinutes(25));
			assertThat(get(client, "/context").body()).contains("session=" + original);
		}
		// the ledger compares its clock with the session's creation time (wall clock):
		// stay clear of the boundary
		this.clock.advance(Duration.ofMinutes(11));

		HttpResponse<String> response = get(client, "/context");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(client.sessionId()).as(response.body() + response.headers().allValues("Set-Cookie"))
			.isNotEqualTo(original);
		assertThat(response.body()).contains("session=" + client.sessionId());
		SessionStats expired = this.gate.admin().session(original).orElseThrow();
		assertThat(expired.status()).isEqualTo(SessionStatus.EXPIRED);
		assertThat(expired.endReason()).isEqualTo("absolute-timeout");
		assertThat(this.store).doesNotContainKey(original);
		// the replacement session was created on the wall clock, an hour behind the
		// ledger's test clock, so only the original's end is checked here
		assertThat(this.events).filteredOn(SessionEndedEvent.class::isInstance)
			.map((event) -> ((SessionEndedEvent) event).stats().sessionId())
			.filteredOn(original::equals)
			.hasSize(1);
	}

	@Test
	void absoluteTimeoutWhenSweptThenEndedAsAbsoluteNotIdle() {
		start(SessionLimits.builder().absoluteTimeout(Duration.ofMinutes(45)).build(), (b) -> b);
		TestClient active = new TestClient();
		get(active, "/context");
		this.clock.advance(Duration.ofMinutes(25));
		get(active, "/context");
		this.clock.advance(Duration.ofMinutes(25));

		List<SessionStats> ended = this.gate.sweep();

		assertThat(ended).singleElement().satisfies((stats) -> {
			assertThat(stats.status()).isEqualTo(SessionStatus.EXPIRED);
			assertThat(stats.endReason()).isEqualTo("absolute-timeout");
		});
		assertThat(this.store).isEmpty();
	}

	@Test
	void errorRatePolicyWhenSessionFailsTooOftenThenItIsEndedAsFailed() {
		start(SessionLimits.builder().failSessionAfter(new ErrorRatePolicy(4, 0.5)).build(), (b) -> b);
		TestClient client = new TestClient();
		get(client, "/context");
		get(client, "/fail");
		get(client, "/fail");
		String sessionId = client.sessionId();
		assertThat(this.gate.admin().session(sessionId).orElseThrow().status()).isEqualTo(SessionStatus.ACTIVE);

		get(client, "/fail");

		Await.until("session failed",
				() -> this.gate.admin().session(sessionId).orElseThrow().status() == SessionStatus.FAILED);
		SessionStats failed = this.gate.admin().session(sessionId).orElseThrow();
		assertThat(failed.endReason()).isEqualTo("error-rate");
		assertThat(failed.errorCount()).isEqualTo(3);
		assertThat(this.store).doesNotContainKey(sessionId);
		assertThat(get(client, "/context").body()).doesNotContain(sessionId);
	}

	@Test
	void eventsWhenLifecycleRunsThenListenersGetThemInOrderAndJsonLinesMaskPersonalData() {
		start(SessionLimits.builder().maxConcurrentRequestsPerSession(5).build(), (b) -> b);
		TestClient client = new TestClient();
		client.get(this.server.uri("/context"), Map.of("User-Agent", "Mozilla/5.0 (secret build 42)"));
		get(client, "/login?user=erin");
		String sessionId = client.sessionId();
		this.gate.admin().endSession(sessionId, SessionStatus.COMPLETED, "logout");

		List<SessionGateEvent> lifecycle = this.events.stream()
			.filter((e) -> !(e instanceof io.github.sessiongate.events.RequestCompletedEvent))
			.toList();
		assertThat(lifecycle).extracting((e) -> e.getClass().getSimpleName())
			.containsExactly("SessionStartedEvent", "UserBoundEvent", "SessionEndedEvent");
		JsonLinesEventLogger json = new JsonLinesEventLogger();
		String started = json.toJson(lifecycle.get(0));
		assertThat(started).contains("\"event\":\"session-started\"")
			.contains("\"clientIp\":\"127.0.0.0\"")
			.contains("\"userAgent\":\"sha256:")
			.doesNotContain("Mozilla")
			.doesNotContain(((SessionStartedEvent) lifecycle.get(0)).sessionId());
		String ended = json.toJson(lifecycle.get(2));
		assertThat(ended).contains("\"event\":\"session-ended\"")
			.contains("\"status\":\"completed\"")
			.contains("\"reason\":\"logout\"")
			.contains("\"user\":\"erin\"")
			.contains("\"requests\":2")
			.contains("\"session\":\"" + SessionIds.shortForm(sessionId) + "\"")
			.doesNotContain(sessionId);
		assertThat(new JsonLinesEventLogger(false).toJson(lifecycle.get(0))).contains("Mozilla/5.0 (secret build 42)");
	}

	@Test
	void policiesWhenSessionsEndThenNoStateIsLeftBehind() throws Exception {
		start(SessionLimits.builder()
			.maxConcurrentRequestsPerSession(2)
			.rate(new RateLimit(100, Duration.ofSeconds(1)))
			.maxSessionsPerUser(2)
			.sessionsPerUserPolicy(SessionsPerUserPolicy.END_OLDEST)
			.maxSessions(50)
			.build(), (b) -> b);
		SessionGateFilterIntegrationTests.runConcurrently(8, () -> {
			TestClient client = new TestClient();
			for (int i = 0; i < 5; i++) {
				getAs(client, "/context", "user-" + (i % 3));
			}
			get(client, "/login?user=frank");
		});
		assertThat(this.gate.ledger().activeSessions()).isPositive();
		Await.until("drained", () -> this.gate.activeRequests() == 0);

		this.clock.advance(Duration.ofMinutes(31));
		this.gate.sweep();
		this.clock.advance(Duration.ofMinutes(6));
		this.gate.sweep();

		assertThat(this.ledger.size()).isZero();
		assertThat(this.ledger.indexedUsers()).isZero();
		assertThat(this.ledger.activeSessions()).isZero();
		assertThat(this.store).isEmpty();
		assertThat(this.events).filteredOn(RequestRejectedEvent.class::isInstance)
			.allSatisfy((e) -> assertThat(((RequestRejectedEvent) e).limit()).isNotNull());
	}

}
