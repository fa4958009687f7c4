package io.github.sessiongate.autoconfigure;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The users' inventory API ({@code sessiongate.inventory.api-path}) while Redis is down:
 * a Boot app with Spring Security (HTTP Basic, so the user is known without a session) on
 * a real {@code redis-server} that the test kills. Listing, ending one and ending the
 * others answer {@code 503} problem+json, never {@code 500}; nothing is logged at
 * {@code ERROR}; the API answers again once Redis is back. (The app turns CSRF off: its
 * token would live in the session, which cannot be loaded during the outage; the API's
 * CSRF behaviour is {@link SessionInventoryApiIntegrationTests}'.)
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionInventoryApiStoreFailureTests {

	private RedisTestServer redis;

	private ConfigurableApplicationContext app;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void apiWhenRedisKilledThenEveryOperationAnswers503ProblemAndAnswersAgainAfterRestart(CapturedOutput output)
			throws Exception {
		this.redis = RedisTestServer.start();
		this.app = new SpringApplicationBuilder(BasicAuthApplication.class).run("--server.port=0",
				"--spring.data.redis.url=" + this.redis.uri(), "--spring.data.redis.timeout=2s",
				"--sessiongate.store=redis", "--sessiongate.redis.session-repository=sessiongate",
				"--sessiongate.inventory.api-path=/account/sessions");
		TestClient client = new TestClient();
		HttpResponse<String> before = client
			.send(basic(HttpRequest.newBuilder(uri("/account/sessions"))).GET().build());
		assertThat(before.statusCode()).isEqualTo(200);
		assertThat(before.body()).startsWith("{\"sessions\":[");

		this.redis.kill();
		TestClient stateless = new TestClient();
		for (int i = 0; i < 3; i++) {
			assertStoreUnavailable(
					stateless.send(basic(HttpRequest.newBuilder(uri("/account/sessions"))).GET().build()));
		}
		assertStoreUnavailable(
				stateless.send(basic(HttpRequest.newBuilder(uri("/account/sessions/0123456789ab"))).DELETE().build()));
		assertStoreUnavailable(
				stateless.send(basic(HttpRequest.newBuilder(uri("/account/sessions/others"))).DELETE().build()));

		this.redis.restart();
		Await.until("the inventory API answers again", Duration.ofSeconds(10),
				() -> stateless.send(basic(HttpRequest.newBuilder(uri("/account/sessions"))).GET().build())
					.statusCode() == 200);
		assertThat(output).doesNotContain(" ERROR ");
	}

	private static HttpRequest.Builder basic(HttpRequest.Builder builder) {
		return builder.header("Authorization",
				"Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8)));
	}

	private static void assertStoreUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"type\":\"urn:sessiongate:problem:store-unavailable\"")
			.contains("\"status\":503");
	}

	private URI uri(String path) {
		int port = ((WebServerApplicationContext) this.app).getWebServer().getPort();
		return URI.create("http://localhost:" + port + path);
	}

	/** HTTP Basic for every request, CSRF off, the test users. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BasicAuthApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf(AbstractHttpConfigurer::disable)
				.build();
		}

		@Bean
		UserDetailsService userDetailsService() {
			return TestBrowser.users();
		}

	}

}
