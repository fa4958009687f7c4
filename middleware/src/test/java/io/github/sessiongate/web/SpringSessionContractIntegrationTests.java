package io.github.sessiongate.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.TestClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Session's servlet contract, kept through {@code gate.filter()}: the behaviours
 * of Spring Session's own {@code SessionRepositoryFilterTests} (new and existing
 * sessions, attributes, requested-id validity, id change, invalidation), checked through
 * a real Jetty and a real HTTP client.
 */
class SpringSessionContractIntegrationTests {

	private final Map<String, Session> store = new ConcurrentHashMap<>();

	private SessionGate gate;

	private JettyTestServer server;

	private final TestClient client = new TestClient();

	@BeforeEach
	void start() {
		this.gate = SessionGate.builder(new MapSessionRepository(this.store)).sweepInterval(Duration.ZERO).build();
		this.server = JettyTestServer.start(this.gate.filter(),
				(context) -> JettyTestServer.servlet(context, "/op", new Operations()));
	}

	@AfterEach
	void stop() {
		this.server.close();
		this.gate.close();
	}

	private String op(String op) {
		return call(op).body();
	}

	private HttpResponse<String> call(String op) {
		return this.client.get(this.server.uri("/op?op=" + op));
	}

	@Test
	void getSessionWhenNewThenIsNewAndCookieSetAndStoredWithDefaultTimeout() {
		HttpResponse<String> response = call("create");

		assertThat(response.body()).isEqualTo("new=true");
		assertThat(response.headers().allValues("Set-Cookie")).anyMatch((c) -> c.startsWith("SESSION="));
		Session stored = this.store.get(this.client.sessionId());
		assertThat(stored.getMaxInactiveInterval())
			.isEqualTo(Duration.ofSeconds(MapSession.DEFAULT_MAX_INACTIVE_INTERVAL_SECONDS));
		assertThat(op("create")).isEqualTo("new=false");
	}

	@Test
	void getSessionFalseWhenNoSessionThenNullAndNoCookie() {
		HttpResponse<String> response = call("peek");

		assertThat(response.body()).isEqualTo("session=null");
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.store).isEmpty();
	}

	@Test
	void attributeWhenSetThenReadOnNextRequest() {
		op("set");
		assertThat(op("get")).isEqualTo("attr=value");
	}

	@Test
	void isRequestedSessionIdValidWhenKnownIdThenTrueWhenUnknownThenFalse() {
		op("create");
		assertThat(op("valid")).isEqualTo("valid=true");
		TestClient stranger = new TestClient();
		stranger.setSessionCookie(this.server.uri("/"), "bm90LWEta25vd24tc2Vzc2lvbi1pZA");
		assertThat(stranger.get(this.server.uri("/op?op=valid")).body()).isEqualTo("valid=false");
	}

	@Test
	void changeSessionIdWhenSessionThenNewIdNewCookieOldGoneAttributesAndStatsKept() {
		op("set");
		String before = this.client.sessionId();

		String changed = op("change");

		String after = this.client.sessionId();
		assertThat(after).isNotEqualTo(before);
		assertThat(changed).isEqualTo("old=" + before + " new=" + after);
		assertThat(this.store).containsOnlyKeys(after);
		assertThat(op("get")).isEqualTo("attr=value");
		// where the gate goes further: its ledger follows the id, counts included
		assertThat(this.gate.admin().session(before)).isEmpty();
		assertThat(this.gate.admin().session(after).orElseThrow().requestCount()).isEqualTo(3);
	}

	@Test
	void changeSessionIdWhenNoSessionThenIllegalState() {
		assertThat(op("change-none")).isEqualTo("IllegalStateException");
	}

	@Test
	void invalidateWhenSessionThenCookieExpiredStoreEmptiedAndSessionUnusable() {
		op("create");
		String id = this.client.sessionId();

		HttpResponse<String> response = call("invalidate");

		assertThat(response.body()).isEqualTo("after-invalidate=IllegalStateException");
		assertThat(response.headers().allValues("Set-Cookie")).anyMatch((c) -> c.contains("Max-Age=0"));
		assertThat(this.store).isEmpty();
		assertThat(op("peek")).isEqualTo("session=null");
		// where the gate goes further: the logout ends the session in the ledger at once
		SessionStats ended = this.gate.admin().session(id).orElseThrow();
		assertThat(ended.status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(ended.endReason()).isEqualTo("invalidated");
	}

	@Test
	void lastAccessedTimeWhenSessionUsedThenUpdatedLikeSpringSession() throws Exception {
		op("create");
		long created = this.store.get(this.client.sessionId()).getLastAccessedTime().toEpochMilli();
		long deadline = System.currentTimeMillis() + 2;
		while (System.currentTimeMillis() <= deadline) {
			Thread.onSpinWait();
		}

		op("peek");

		assertThat(this.store.get(this.client.sessionId()).getLastAccessedTime().toEpochMilli()).isGreaterThan(created);
	}

	private static final class Operations extends HttpServlet {

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			String body = switch (request.getParameter("op")) {
				case "create" -> "new=" + request.getSession().isNew();
				case "peek" -> "session=" + ((request.getSession(false) != null) ? "present" : "null");
				case "set" -> {
					request.getSession().setAttribute("attr", "value");
					yield "set";
				}
				case "get" -> "attr=" + request.getSession().getAttribute("attr");
				case "valid" -> "valid=" + request.isRequestedSessionIdValid();
				case "change" -> {
					String old = request.getSession().getId();
					yield "old=" + old + " new=" + request.changeSessionId();
				}
				case "change-none" -> {
					try {
						request.changeSessionId();
						yield "changed";
					}
					catch (IllegalStateException ex) {
						yield ex.getClass().getSimpleName();
					}
				}
				case "invalidate" -> {
					HttpSession session = request.getSession();
					session.invalidate();
					try {
						session.getAttribute("attr");
						yield "after-invalidate=readable";
					}
					catch (IllegalStateException ex) {
						yield "after-invalidate=" + ex.getClass().getSimpleName();
					}
				}
				default -> throw new IllegalArgumentException();
			};
			response.getWriter().print(body);
		}

	}

}
