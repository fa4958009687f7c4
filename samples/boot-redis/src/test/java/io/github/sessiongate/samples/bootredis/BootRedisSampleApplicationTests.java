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
 * that sessions and the gate's ledger are stored there.
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
		assertThat(this.redis.hasKey("spring:session:sessions:" + sessionId)).isTrue();
		assertThat(this.redis.keys("shop:sessiongate:*")).anyMatch((key) -> key.contains("{" + sessionId + "}"));
		HttpResponse<String> health = get("/actuator/health/sessionGate");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"", "\"store\":\"RedisSessionLedger\"");
	}

}
