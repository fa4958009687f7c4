package io.github.sessiongate.autoconfigure;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Actuator endpoint while Redis is down: a Boot app on Tomcat with the Redis store
 * and Actuator's meters, on a real {@code redis-server} that the test kills. Every
 * operation answers {@code 503} problem+json (never {@code 500}), nothing is logged at
 * {@code ERROR}, Micrometer never warns that a meter is registered twice, and the
 * endpoint answers again once Redis is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionGateEndpointStoreFailureTests {

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
	void endpointWhenRedisKilledThenEveryOperationAnswers503ProblemAndServiceReturnsAfterRestart(CapturedOutput output)
			throws Exception {
		this.redis = RedisTestServer.start();
		this.app = new SpringApplicationBuilder(TestApplication.class).run("--server.port=0",
				"--spring.data.redis.url=" + this.redis.uri(), "--spring.data.redis.timeout=2s",
				"--sessiongate.store=redis", "--sessiongate.redis.session-repository=sessiongate",
				"--sessiongate.creation-policy=always",
				"--management.endpoints.web.exposure.include=health,sessiongate,metrics");
		TestClient browser = new TestClient();
		assertThat(browser.get(uri("/context")).statusCode()).isEqualTo(200);
		assertThat(browser.get(uri("/actuator/sessiongate")).body()).contains("\"activeSessions\":1");

		this.redis.kill();
		for (int i = 0; i < 4; i++) {
			// the app's own requests fail over the store as documented (allow: served)
			assertThat(browser.get(uri("/context")).statusCode()).isEqualTo(200);
		}
		for (String read : List.of("/actuator/sessiongate", "/actuator/sessiongate?user=bob",
				"/actuator/sessiongate?status=active", "/actuator/sessiongate/0123456789ab")) {
			assertStoreUnavailable(browser.get(uri(read)));
		}
		assertStoreUnavailable(browser.send(HttpRequest.newBuilder(uri("/actuator/sessiongate/0123456789ab"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build()));
		// counted: at least the five operations above
		assertThat(browser.get(uri("/actuator/metrics/sessiongate.store.errors?tag=operation:admin-read")).body())
			.containsPattern("\"statistic\":\"COUNT\",\"value\":([5-9]|\\d\\d+)\\.0");
		// the gauge of live sessions reads NaN instead of throwing in Micrometer
		assertThat(browser.get(uri("/actuator/metrics/sessiongate.sessions.active")).statusCode()).isEqualTo(200);

		this.redis.restart();
		Await.until("the endpoint answers again", Duration.ofSeconds(5),
				() -> browser.get(uri("/actuator/sessiongate")).statusCode() == 200);
		assertThat(output).doesNotContain(" ERROR ").doesNotContain("already registered");
	}

	private static void assertStoreUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"type\":\"urn:sessiongate:problem:store-unavailable\"")
			.contains("\"status\":503");
	}

	private URI uri(String path) {
		int port = ((WebServerApplicationContext) this.app).getWebServer().getPort();
		return URI.create("http://localhost:" + port + path);
	}

}
