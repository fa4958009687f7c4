package io.github.sessiongate.samples.bootredis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.sessiongate.testsupport.RedisTestServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the Boot Redis sample on Tomcat against a real {@code redis-server} and checks
 * that sessions and the gate's ledger are stored there, side by side, by SessionGate's own
 * session repository (the sample has no Spring Session Data Redis).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class BootRedisSampleApplicationTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> RedisTestServer.shared().uri());
	}

	@LocalServerPort
	int port;

	@Autowired
	StringRedisTemplate redis;

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void sessionAndLedgerLiveInRedisAndHealthNamesTheRedisStore() throws Exception {
		HttpResponse<String> first = get("/");
		String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();

		assertThat(cookie).startsWith("SESSION=");
		// Spring Session's cookie carries the id Base64-encoded
		String sessionId = new String(Base64.getDecoder().decode(cookie.substring(8, cookie.indexOf(';'))),
				StandardCharsets.US_ASCII);
		// the session is stored by SessionGate's repository, next to its ledger record
		assertThat(this.redis.hasKey("shop:sessiongate:session:{" + sessionId + "}:data")).isTrue();
		assertThat(this.redis.hasKey("shop:sessiongate:session:{" + sessionId + "}")).isTrue();
		assertThat(this.redis.keys("spring:session:*")).isEmpty();
		// the same session on the next request
		HttpResponse<String> second = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/"))
				.header("Cookie", cookie.substring(0, cookie.indexOf(';')))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(second.headers().firstValue("Set-Cookie")).isEmpty();
		assertThat(this.redis.<String, String>opsForHash().get("shop:sessiongate:session:{" + sessionId + "}", "rq"))
			.isEqualTo("2");
		HttpResponse<String> health = get("/actuator/health/sessionGate");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"", "\"store\":\"RedisSessionLedger\"");
	}

}
