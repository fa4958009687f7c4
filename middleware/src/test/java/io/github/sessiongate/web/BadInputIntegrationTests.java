package io.github.sessiongate.web;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed session ids, spoofed forwarding headers and bad header values get clear
 * answers: never a 500, never a store access for garbage, never someone else's address.
 */
class BadInputIntegrationTests {

	private final TestApp app = new TestApp();

	private final Map<String, Session> store = new ConcurrentHashMap<>();

	private final CountingRepository repository = new CountingRepository(new MapSessionRepository(this.store));

	private SessionGate gate;

	private JettyTestServer server;

	@AfterEach
	void stop() {
		this.server.close();
		this.gate.close();
		this.app.close();
	}

	private void start(SessionGate.Builder builder) {
		this.gate = builder.sweepInterval(Duration.ZERO).build();
		this.server = this.app.start(this.gate.filter());
	}

	@ParameterizedTest
	@ValueSource(strings = { "short", "../../../etc/passwd", "abc def ghi jkl mno pqr", "id-with-a-quote\"-in-it-xx",
			"ünïcödé-session-id-value-00", "%00%00%00%00%00%00%00%00%00" })
	void doFilterWhenSessionIdMalformedThenTreatedAsNoSessionWithoutStoreAccess(String badId) {
		start(SessionGate.builder(this.repository).creationPolicy(CreationPolicy.IF_REQUIRED));
		TestClient client = new TestClient();
		client.setSessionCookie(this.server.uri("/"),
				Base64.getEncoder().encodeToString(badId.getBytes(StandardCharsets.UTF_8)));
		HttpResponse<String> response = client.get(this.server.uri("/context"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("session=null");
		assertThat(this.repository.finds.get()).isZero();
		assertThat(this.repository.saves.get()).isZero();
		assertThat(this.store).isEmpty();
		assertThat(this.gate.ledger().activeSessions()).isZero();
	}

	@Test
	void doFilterWhenSessionIdOversizedThenNeverA500AndNoStoreAccess() {
		start(SessionGate.builder(this.repository).creationPolicy(CreationPolicy.IF_REQUIRED));
		TestClient client = new TestClient();
		client.setSessionCookie(this.server.uri("/"), Base64.getEncoder().encodeToString("a".repeat(4000).getBytes()));
		HttpResponse<String> response = client.get(this.server.uri("/context"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.repository.finds.get()).isZero();
		assertThat(this.store).isEmpty();
	}

	@Test
	void doFilterWhenSessionIdWellFormedButUnknownWithPolicyAlwaysThenNewSessionIsCreated() {
		start(SessionGate.builder(this.repository).creationPolicy(CreationPolicy.ALWAYS));
		TestClient client = new TestClient();
		String forged = "0f9d4b8e-0000-4000-8000-000000000000";
		client.setSessionCookie(this.server.uri("/"), Base64.getEncoder().encodeToString(forged.getBytes()));
		HttpResponse<String> response = client.get(this.server.uri("/context"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.repository.finds.get()).isPositive();
		assertThat(this.store).hasSize(1).doesNotContainKey(forged);
		String issued = this.store.keySet().iterator().next();
		assertThat(response.headers().allValues("Set-Cookie"))
			.anyMatch((cookie) -> cookie.contains(Base64.getEncoder().encodeToString(issued.getBytes())));
		assertThat(this.gate.admin().session(forged)).isEmpty();
	}

	@Test
	void doFilterWhenForwardedHeadersFromUntrustedPeerThenSocketAddressIsUsed() {
		start(SessionGate.builder(this.repository));
		TestClient client = new TestClient();
		assertThat(client.get(this.server.uri("/context"), Map.of("X-Forwarded-For", "203.0.113.9")).body())
			.contains("clientIp=127.0.0.1");
		assertThat(client.get(this.server.uri("/context"), Map.of("Forwarded", "for=203.0.113.9")).body())
			.contains("clientIp=127.0.0.1");
	}

	@Test
	void doFilterWhenForwardedHeadersFromTrustedProxyThenClientIsFirstUntrustedHop() {
		start(SessionGate.builder(this.repository).trustedProxies("127.0.0.1/32", "10.0.0.0/8"));
		TestClient client = new TestClient();
		assertThat(client
			.get(this.server.uri("/context"), Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.1.2.3"))
			.body()).contains("clientIp=203.0.113.9");
		assertThat(client
			.get(this.server.uri("/context"), Map.of("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https"))
			.body()).contains("clientIp=2001:db8:cafe:0:0:0:0:17");
		assertThat(client.get(this.server.uri("/context"), Map.of("X-Forwarded-For", "10.0.0.7")).body())
			.contains("clientIp=10.0.0.7");
	}

	@ParameterizedTest
	@ValueSource(strings = { "evil.example.com", "unknown", "999.1.1.1", "<script>", "_hidden, 10.0.0.1" })
	void doFilterWhenForwardedHopMalformedThenWalkStopsAtLastTrustedHop(String header) {
		start(SessionGate.builder(this.repository).trustedProxies("127.0.0.1/32"));
		TestClient client = new TestClient();
		HttpResponse<String> response = client.get(this.server.uri("/context"), Map.of("X-Forwarded-For", header));

		assertThat(response.statusCode()).isEqualTo(200);
		String expected = header.endsWith("10.0.0.1") ? "10.0.0.1" : "127.0.0.1";
		assertThat(response.body()).contains("clientIp=" + expected);
	}

	@Test
	void doFilterWhenTenantAndDeviceHeadersValidThenContextCarriesThem() {
		start(SessionGate.builder(this.repository).tenantHeader("X-Tenant-Id").deviceHeader("X-Device-Id"));
		HttpResponse<String> response = new TestClient().get(this.server.uri("/context"),
				Map.of("X-Tenant-Id", "acme", "X-Device-Id", "ios:1234-abcd"));

		assertThat(response.body()).contains("tenant=acme").contains("device=ios:1234-abcd");
	}

	@ParameterizedTest
	@ValueSource(strings = { "acme corp", "acme;drop", "a/b", "x\u00e9" })
	void doFilterWhenTenantHeaderInvalidThenBadRequestProblemAndNoStoreWrite(String tenant) {
		start(SessionGate.builder(this.repository).creationPolicy(CreationPolicy.ALWAYS).tenantHeader("X-Tenant-Id"));
		HttpResponse<String> response = new TestClient().get(this.server.uri("/context"),
				Map.of("X-Tenant-Id", tenant));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(response.body()).contains("X-Tenant-Id").contains("\"status\":400");
		assertThat(this.store).isEmpty();
		assertThat(this.app.calls.get()).isZero();
		Await.until("capacity released", () -> this.gate.activeRequests() == 0);
	}

	@Test
	void doFilterWhenDeviceHeaderOversizedThenBadRequest() {
		start(SessionGate.builder(this.repository).deviceHeader("X-Device-Id"));
		HttpResponse<String> response = new TestClient().get(this.server.uri("/context"),
				Map.of("X-Device-Id", "d".repeat(65)));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("longer than 64");
	}

	/**
	 * Counts repository calls, to prove garbage never reaches the store.
	 */
	static final class CountingRepository implements SessionRepository<MapSession> {

		final AtomicInteger finds = new AtomicInteger();

		final AtomicInteger saves = new AtomicInteger();

		private final MapSessionRepository delegate;

		CountingRepository(MapSessionRepository delegate) {
			this.delegate = delegate;
		}

		@Override
		public MapSession createSession() {
			return this.delegate.createSession();
		}

		@Override
		public void save(MapSession session) {
			this.saves.incrementAndGet();
			this.delegate.save(session);
		}

		@Override
		public MapSession findById(String id) {
			this.finds.incrementAndGet();
			return this.delegate.findById(id);
		}

		@Override
		public void deleteById(String id) {
			this.delegate.deleteById(id);
		}

	}

}
