package io.github.sessiongate.sample;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo app on a real server: login, the demo endpoints, the per-session limit and the
 * dashboard data that reflects them. Each test logs in its own user, so sessions do not
 * interfere.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static final int BURST = 10;

	@LocalServerPort
	private int port;

	@Test
	void apiWhenNotLoggedInThenRedirectsToLogin() throws Exception {
		HttpResponse<String> response = DemoUser.anonymous(this.port).get("/api/context");
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location"))
			.hasValueSatisfying((l) -> assertThat(l).endsWith("/login"));
	}

	@Test
	void contextWhenLoggedInThenShowsUserAndShortSessionId() throws Exception {
		DemoUser bob = DemoUser.login(this.port, "bob", "bob");
		DocumentContext context = JsonPath.parse(bob.get("/api/context").body());
		assertThat(context.read("$.userId", String.class)).isEqualTo("bob");
		assertThat(context.read("$.session", String.class)).hasSizeLessThanOrEqualTo(12);
		assertThat(context.read("$.clientIp", String.class)).isNotBlank();
	}

	@Test
	void burstWhenOverSessionConcurrencyLimitThenSome429AndDashboardCountsThem() throws Exception {
		DemoUser bob = DemoUser.login(this.port, "bob", "bob");
		assertThat(bob.get("/api/fail").statusCode()).isEqualTo(500);
		DocumentContext before = JsonPath.parse(bob.get("/api/dashboard").body());
		long requestsBefore = currentSession(before, "requests");
		long nodeRejectionsBefore = before.read("$.rejectionsByLimit.session-concurrency", Long.class);
		long rejectedBefore = before.read("$.rejectedRequests", Long.class);

		List<HttpResponse<String>> responses = burst(bob);
		long ok = responses.stream().filter((r) -> r.statusCode() == 200).count();
		List<HttpResponse<String>> rejected = responses.stream().filter((r) -> r.statusCode() == 429).toList();
		assertThat(ok + rejected.size()).isEqualTo(BURST);
		assertThat(ok).isGreaterThanOrEqualTo(3);
		assertThat(rejected).isNotEmpty().allSatisfy((r) -> {
			assertThat(r.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(r.headers().firstValue("Retry-After")).isPresent();
			assertThat(r.body()).contains("session-concurrency");
		});

		DocumentContext after = JsonPath.parse(bob.get("/api/dashboard").body());
		assertThat(after.read("$.user", String.class)).isEqualTo("bob");
		assertThat(after.read("$.admin", Boolean.class)).isFalse();
		assertThat(currentSession(after, "rejections")).isEqualTo(rejected.size());
		assertThat(currentSession(after, "errors")).isEqualTo(1);
		// the dashboard poll is excluded from the gate: only the burst's admitted
		// requests
		assertThat(currentSession(after, "requests")).isEqualTo(requestsBefore + ok);
		assertThat(after.read("$.rejectionsByLimit.session-concurrency", Long.class))
			.isGreaterThanOrEqualTo(nodeRejectionsBefore + rejected.size());
		assertThat(after.read("$.rejectedRequests", Long.class)).isEqualTo(rejectedBefore + rejected.size());
	}

	@Test
	void endSessionWhenAdminThenUserIsLoggedOutWithAMessageAndOthersMayNot() throws Exception {
		DemoUser alice = DemoUser.login(this.port, "alice", "alice");
		String aliceReference = JsonPath.parse(alice.get("/api/context").body()).read("$.session", String.class);
		DemoUser admin = DemoUser.login(this.port, "admin", "admin");
		DocumentContext dashboard = JsonPath.parse(admin.get("/api/dashboard").body());
		assertThat(dashboard.read("$.admin", Boolean.class)).isTrue();
		List<String> aliceIds = dashboard.read("$.sessions[?(@.user == 'alice' && @.status == 'ACTIVE')].id");
		assertThat(aliceIds).as("the admin sees alice's session by the reference alice sees").contains(aliceReference);
		String adminReference = JsonPath.parse(admin.get("/api/context").body()).read("$.session", String.class);

		assertThat(alice.postJson("/api/sessions/" + aliceReference + "/end", "{}").statusCode()).isEqualTo(403);
		assertThat(admin.postJson("/api/sessions/" + adminReference + "/end", "{}").statusCode()).isEqualTo(409);
		assertThat(admin.postJson("/api/sessions/000000000000/end", "{}").statusCode()).isEqualTo(404);
		assertThat(admin.postJson("/api/sessions/" + aliceReference + "/end", "{}").statusCode()).isEqualTo(204);

		HttpResponse<String> afterEnd = alice.get("/api/context");
		assertThat(afterEnd.statusCode()).isEqualTo(302);
		assertThat(afterEnd.headers().firstValue("Location"))
			.hasValueSatisfying((l) -> assertThat(l).endsWith("/login?ended"));
		assertThat(DemoUser.anonymous(this.port).get("/login?ended").body()).contains("Your session was ended");
		DocumentContext after = JsonPath.parse(admin.get("/api/dashboard").body());
		List<Map<String, Object>> ended = after.read("$.sessions[?(@.id == '" + aliceReference + "')]");
		assertThat(ended).singleElement().satisfies((row) -> {
			assertThat(row.get("status")).isEqualTo("COMPLETED");
			assertThat(row.get("endReason")).isEqualTo("ended-from-dashboard");
			assertThat(row.get("endedAt")).isNotNull();
		});
	}

	@Test
	void dashboardWhenNotAdminThenOnlyOwnSessionsByTheirShortReference() throws Exception {
		DemoUser bob = DemoUser.login(this.port, "bob", "bob");
		DemoUser.login(this.port, "alice", "alice").get("/api/context");
		String reference = JsonPath.parse(bob.get("/api/context").body()).read("$.session", String.class);
		DocumentContext dashboard = JsonPath.parse(bob.get("/api/dashboard").body());
		List<String> users = dashboard.read("$.sessions[*].user");
		List<String> ids = dashboard.read("$.sessions[*].id");
		List<String> current = dashboard.read("$.sessions[?(@.current == true)].id");
		assertThat(users).isNotEmpty().containsOnly("bob");
		assertThat(ids).allSatisfy((id) -> assertThat(id).matches("[0-9a-f]{12}"));
		assertThat(current).containsExactly(reference);
		assertThat(DemoUser.login(this.port, "bob", "bob").get("/actuator/sessiongate").statusCode()).isEqualTo(403);
	}

	@Test
	void loginPageNamesTheDemoUsersAndNeedsNoFavicon() throws Exception {
		String page = DemoUser.anonymous(this.port).get("/login").body();
		assertThat(page).contains("<strong>alice</strong>", "<strong>bob</strong>", "<strong>admin</strong>")
			.contains("<link rel=\"icon\" href=\"data:,\">");
		assertThat(DemoUser.anonymous(this.port).get("/login?error").body()).contains("Wrong user name or password");
	}

	private static long currentSession(DocumentContext dashboard, String field) {
		List<Map<String, Object>> current = dashboard.read("$.sessions[?(@.current == true)]");
		assertThat(current).as("the caller's own session on the dashboard").hasSize(1);
		return ((Number) current.get(0).get(field)).longValue();
	}

	private static List<HttpResponse<String>> burst(DemoUser user) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
		try (ExecutorServiceCloser executor = new ExecutorServiceCloser(Executors.newFixedThreadPool(BURST))) {
			for (int i = 0; i < BURST; i++) {
				futures.add(CompletableFuture.supplyAsync(() -> {
					try {
						start.await();
						return user.get("/api/slow?ms=1000");
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}, executor.executor()));
			}
			start.countDown();
			List<HttpResponse<String>> responses = new ArrayList<>();
			for (CompletableFuture<HttpResponse<String>> future : futures) {
				responses.add(future.join());
			}
			return responses;
		}
	}

	private record ExecutorServiceCloser(ExecutorService executor) implements AutoCloseable {

		@Override
		public void close() {
			this.executor.shutdownNow();
		}

	}

}
