package io.github.sessiongate.autoconfigure;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.sessiongate.SessionGate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Boot app that stops closes its open streams first: the event stream ends normally at
 * once and the graceful shutdown does not wait for it (it would wait its whole timeout
 * for a stream that never ends by itself).
 *
 * @author SessionGate team
 */
class BootStreamShutdownTests {

	@Test
	void contextWhenClosingWithAnOpenEventStreamThenStreamEndsAndShutdownDoesNotWaitForIt() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(StreamTestApplication.class).properties(
				"server.port=0", "server.shutdown=graceful", "spring.lifecycle.timeout-per-shutdown-phase=20s",
				"spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		SessionGate gate = context.getBean(SessionGate.class);
		HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		CompletableFuture<String> body = BootStreamIntegrationTests.readEvents(client,
				URI.create("http://localhost:" + port + "/events"));
		BootStreamIntegrationTests.Await.until("the stream admitted", () -> gate.activeStreams() == 1);

		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(took).as("graceful shutdown did not wait for the stream").isLessThan(Duration.ofSeconds(10));
		BootStreamIntegrationTests.Await.until("the stream ended", Duration.ofSeconds(5), body::isDone);
		assertThat(body.get()).contains("data:open").doesNotStartWith("failed");
	}

}
