package io.github.sessiongate.autoconfigure;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request path and the login hook in a real Boot app on Tomcat, driven by real HTTP
 * clients: a sequential client is never refused by the concurrency limit, the
 * sessions-per-user limit is decided at login (through Spring Security's failure path)
 * even when the login request creates the session, and Actuator is not gated.
 *
 * @author SessionGate team
 */
@SpringBootTest(classes = BootRequestPathIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sessiongate.limits.max-concurrent-requests-per-session=1",
				"sessiongate.limits.max-active-requests=1", "sessiongate.limits.max-sessions-per-user=1",
				"management.endpoints.web.exposure.include=health,metrics",
				"spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
class BootRequestPathIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	SessionGate gate;

	@Autowired
	Hold hold;

	@BeforeEach
	void holdNothingYet() {
		this.hold.entered = new CountDownLatch(1);
		this.hold.release = new CountDownLatch(1);
	}

	@AfterEach
	void release() {
		this.hold.release.countDown();
	}

	@Test
	void sequentialClientWhenTenThousandRequestsAtLimitOneThenNoneRejected() {
		Browser browser = new Browser();
		assertThat(browser.get("/start-session").statusCode()).isEqualTo(200);
		int requests = 10_000;
		int rejected = 0;
		for (int i = 0; i < requests; i++) {
			if (browser.get("/hello").statusCode() == 429) {
				rejected++;
			}
		}
		assertThat(rejected).isZero();
		awaitIdle();
		SessionStats stats = this.gate.admin().session(browser.sessionId()).orElseThrow();
		assertThat(stats.requestCount()).isEqualTo(requests + 1);
		assertThat(stats.rejectionCount()).isZero();
	}

	@Test
	void loginWhenFirstRequestOfItsSessionAndUserAtLimitThenRefusedThroughFailurePath() {
		Browser first = new Browser();
		HttpResponse<String> accepted = first.login("alice");
		assertThat(accepted.statusCode()).isEqualTo(302);
		assertThat(accepted.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/whoami"));
		assertThat(first.get("/whoami").body()).isEqualTo("alice");
		long refusedBefore = this.gate.rejections(Limit.SESSIONS_PER_USER);

		Browser second = new Browser();
		HttpResponse<String> refused = second.login("alice");

		assertThat(refused.statusCode()).isEqualTo(302);
		assertThat(refused.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
		assertThat(this.gate.rejections(Limit.SESSIONS_PER_USER)).isEqualTo(refusedBefore + 1);
		// never a successful login followed by refusals: the second browser is anonymous
		HttpResponse<String> after = second.get("/whoami");
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(after.body()).isEqualTo("anonymous");
		assertThat(first.get("/whoami").body()).isEqualTo("alice");
		List<SessionStats> alices = this.gate.admin().sessionsOfUser("alice");
		assertThat(alices).filteredOn((s) -> s.status() == SessionStatus.ACTIVE).hasSize(1);
	}

	@Test
	void actuatorWhenNodeAtCapacityThenHealthIsServedUngatedAndActiveRequestsReadsTheTruth() throws Exception {
		Browser busy = new Browser();
		CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> busy.get("/hold"));
		assertThat(this.hold.entered.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.gate.activeRequests()).isEqualTo(1);
		assertThat(new Browser().get("/hello").statusCode()).isEqualTo(503);

		HttpResponse<String> health = new Browser().get("/actuator/health");

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(new Browser().get("/actuator/metrics/sessiongate.requests.active").body()).contains("\"value\":1.0");
		this.hold.release.countDown();
		assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		awaitIdle();
		assertThat(new Browser().get("/actuator/metrics/sessiongate.requests.active").body()).contains("\"value\":0.0");
	}

	private void awaitIdle() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.gate.activeRequests() != 0 && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.gate.activeRequests()).isZero();
	}

	/** One browser: its own cookie jar, redirects not followed. */
	final class Browser {

		private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

		private final HttpClient client = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.version(HttpClient.Version.HTTP_1_1)
			.build();

		HttpResponse<String> get(String path) {
			return send(HttpRequest.newBuilder(uri(path)).GET().build());
		}

		HttpResponse<String> login(String user) {
			return send(HttpRequest.newBuilder(uri("/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=pw"))
				.build());
		}

		String sessionId() {
			return this.cookies.getCookieStore()
				.getCookies()
				.stream()
				.filter((cookie) -> cookie.getName().equals("SESSION"))
				.findFirst()
				.map((cookie) -> new String(Base64.getDecoder().decode(cookie.getValue()), StandardCharsets.UTF_8))
				.orElseThrow();
		}

		private URI uri(String path) {
			return URI.create("http://127.0.0.1:" + BootRequestPathIntegrationTests.this.port + path);
		}

		private HttpResponse<String> send(HttpRequest request) {
			try {
				return this.client.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	static final class Hold {

		volatile CountDownLatch entered = new CountDownLatch(1);

		volatile CountDownLatch release = new CountDownLatch(1);

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(App.Endpoints.class)
	static class App {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			// Spring Security's defaults for the failure path: /login?error
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.csrf((csrf) -> csrf.disable())
				.formLogin((login) -> login.defaultSuccessUrl("/whoami", true))
				.build();
		}

		@Bean
		UserDetailsService userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}pw").roles("USER").build());
		}

		@Bean
		Hold hold() {
			return new Hold();
		}

		@RestController
		static class Endpoints {

			private final Hold hold;

			Endpoints(Hold hold) {
				this.hold = hold;
			}

			@GetMapping("/hello")
			String hello() {
				return "hello";
			}

			@GetMapping("/start-session")
			String session(jakarta.servlet.http.HttpServletRequest request) {
				request.getSession(true);
				return "ok";
			}

			@GetMapping("/whoami")
			String whoami() {
				String user = SessionContextHolder.requireContext().userId();
				return (user != null) ? user : "anonymous";
			}

			@GetMapping("/hold")
			String hold() throws InterruptedException {
				this.hold.entered.countDown();
				this.hold.release.await(10, TimeUnit.SECONDS);
				return "released";
			}

		}

	}

}
