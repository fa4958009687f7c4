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
		assertThat(after.read("$.rejectedRequests", Long.class)).isGreaterThanOrEqualTo(rejected.size());
	}

	@Test
	void endSessionWhenAdminThenUserIsLoggedOutAndOthersMayNot() throws Exception {
		DemoUser alice = DemoUser.login(this.port, "alice", "alice");
		assertThat(alice.get("/api/context").statusCode()).isEqualTo(200);
		DemoUser admin = DemoUser.login(this.port, "admin", "admin");
		DocumentContext dashboard = JsonPath.parse(admin.get("/api/dashboard").body());
		assertThat(dashboard.read("$.admin", Boolean.class)).isTrue();
		List<String> aliceIds = dashboard.read("$.sessions[?(@.user == 'alice' && @.status == 'ACTIVE')].id");
		assertThat(aliceIds).isNotEmpty();
		String aliceId = aliceIds.get(0);
		assertThat(aliceId).matches("[0-9a-f]{12}");

		assertThat(alice.postJson("/actuator/sessiongate/" + aliceId, "{}").statusCode()).isEqualTo(403);
		HttpResponse<String> ended = admin.postJson("/actuator/sessiongate/" + aliceId,
				"{\"reason\":\"ended-from-dashboard\"}");
		assertThat(ended.statusCode()).isEqualTo(200);
		assertThat(ended.body()).contains("\"status\":\"COMPLETED\"").contains("ended-from-dashboard");

		HttpResponse<String> afterEnd = alice.get("/api/context");
		assertThat(afterEnd.statusCode()).isEqualTo(302);
		assertThat(admin.get("/actuator/sessiongate/" + aliceId).body()).contains("\"status\":\"COMPLETED\"");
	}

	@Test
	void dashboardWhenNotAdminThenSessionIdsAreShortForms() throws Exception {
		DemoUser bob = DemoUser.login(this.port, "bob", "bob");
		bob.get("/api/context");
		DocumentContext dashboard = JsonPath.parse(bob.get("/api/dashboard").body());
		List<String> ids = dashboard.read("$.sessions[*].id");
		assertThat(ids).isNotEmpty().allSatisfy((id) -> assertThat(id).hasSizeLessThanOrEqualTo(12));
		assertThat(DemoUser.login(this.port, "bob", "bob").get("/actuator/sessiongate").statusCode()).isEqualTo(403);
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
