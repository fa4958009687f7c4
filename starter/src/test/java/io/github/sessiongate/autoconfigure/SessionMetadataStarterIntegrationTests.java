package io.github.sessiongate.autoconfigure;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.TestClient;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sessiongate.inventory.metadata.*} on Boot with the Redis store: a controller
 * adds metadata to the request's {@link SessionContext}; the session keeps the listed
 * key, cut to the configured length, and the user's REST API and the operator's Actuator
 * view show it, while an unlisted key is kept nowhere.
 */
class SessionMetadataStarterIntegrationTests {

	private ConfigurableApplicationContext app;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void keptMetadataWhenControllerSetsItThenRestApiAndActuatorShowItBounded() {
		String prefix = "mdboot-" + UUID.randomUUID().toString().substring(0, 8);
		this.app = new SpringApplicationBuilder(MetadataApplication.class).run("--server.port=0",
				"--spring.data.redis.url=" + RedisTestServer.shared().uri(), "--sessiongate.store=redis",
				"--sessiongate.redis.key-prefix=" + prefix + ":gate:",
				"--spring.session.redis.namespace=" + prefix + ":sessions",
				"--sessiongate.inventory.api-path=/account/sessions",
				"--sessiongate.inventory.metadata.keys=plan,region",
				"--sessiongate.inventory.metadata.max-value-length=8",
				"--management.endpoints.web.exposure.include=sessiongate");
		TestClient alice = new TestClient();
		HttpResponse<String> tagged = alice
			.send(basic("alice:pw", uri("/plan?value=platinum-plus-yearly&secret=s3cr3t"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build());
		assertThat(tagged.statusCode()).isEqualTo(200);
		String reference = SessionIds.shortForm(alice.sessionId());

		HttpResponse<String> listed = alice.send(basic("alice:pw", uri("/account/sessions")).GET().build());
		assertThat(listed.statusCode()).isEqualTo(200);
		assertThat(listed.body()).contains("\"reference\":\"" + reference + "\"")
			.contains("\"metadata\":{\"plan\":\"platinum\"}")
			.doesNotContain("s3cr3t");
		HttpResponse<String> view = new TestClient()
			.send(basic("ops:ops", uri("/actuator/sessiongate/" + reference)).GET().build());
		assertThat(view.statusCode()).isEqualTo(200);
		assertThat(view.body()).contains("\"metadata\":{\"plan\":\"platinum\"}").doesNotContain("s3cr3t");
		Matcher user = Pattern.compile("\"userId\":\"([^\"]+)\"").matcher(view.body());
		assertThat(user.find()).isTrue();
		assertThat(user.group(1)).isEqualTo("alice");
	}

	private static HttpRequest.Builder basic(String credentials, URI uri) {
		return HttpRequest.newBuilder(uri)
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
	}

	private URI uri(String path) {
		int port = ((WebServerApplicationContext) this.app).getWebServer().getPort();
		return URI.create("http://localhost:" + port + path);
	}

	/** HTTP Basic, the test users, a controller that tags the session. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MetadataApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/actuator/**").hasRole("OPS").anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf(AbstractHttpConfigurer::disable)
				.build();
		}

		@Bean
		UserDetailsService userDetailsService() {
			return TestBrowser.users();
		}

		@Bean
		PlanController planController() {
			return new PlanController();
		}

	}

	@RestController
	static class PlanController {

		@PostMapping("/plan")
		String plan(HttpServletRequest request, @RequestParam String value, @RequestParam String secret) {
			request.getSession(true);
			SessionContextHolder.setContext(
					SessionContextHolder.requireContext().withMetadata("plan", value).withMetadata("secret", secret));
			return "tagged";
		}

	}

}
