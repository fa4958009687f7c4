package io.github.sessiongate.autoconfigure;

import java.io.InputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Boot nodes on Tomcat sharing a real Redis (Spring Session Data Redis and the Redis
 * ledger): a WebSocket and an {@code SseEmitter} stream open on one node close when the
 * session is ended on the other, within the check interval (500 ms here) plus a round
 * trip; the socket with close code 1008.
 *
 * @author SessionGate team
 */
class BootRedisStreamIntegrationTests {

	private static final Duration CLOSE_BOUND = Duration.ofSeconds(3);

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient client = HttpClient.newBuilder()
		.cookieHandler(this.cookies)
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	@AfterEach
	void stop() {
		this.nodes.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void streamsOnOneNodeWhenSessionEndedOnTheOtherThenWebSocketGets1008AndEventStreamEnds() throws Exception {
		String namespace = "bs-" + UUID.randomUUID().toString().substring(0, 8);
		RedisTestServer redis = RedisTestServer.shared();
		for (int i = 0; i < 2; i++) {
			this.nodes.add(
					new SpringApplicationBuilder(StreamTestApplication.class)
						.properties("server.port=0", "spring.data.redis.host=" + redis.host(),
								"spring.data.redis.port=" + redis.port(), "spring.session.redis.namespace=" + namespace,
								"sessiongate.redis.key-prefix=" + namespace + ":gate:", "sessiongate.store=redis",
								"sessiongate.creation-policy=always", "sessiongate.streams.check-interval=500ms")
						.run());
		}
		SessionGate first = this.nodes.get(0).getBean(SessionGate.class);
		SessionGate second = this.nodes.get(1).getBean(SessionGate.class);
		assertThat(first.ledger()).isInstanceOf(RedisSessionLedger.class);
		String sessionId = this.client
			.send(HttpRequest.newBuilder(uri(0, "/context")).build(), HttpResponse.BodyHandlers.ofString())
			.body();

		BootStreamIntegrationTests.SocketListener listener = new BootStreamIntegrationTests.SocketListener();
		ConcurrentLinkedQueue<String> received = listener.received;
		CompletableFuture<Integer> closed = listener.closed;
		WebSocket socket = this.client.newWebSocketBuilder()
			.header("Cookie", "SESSION=" + sessionCookie())
			.buildAsync(URI.create("ws://localhost:" + port(0) + "/socket"), listener)
			.join();
		HttpResponse<InputStream> events = this.client.send(
				HttpRequest.newBuilder(uri(0, "/events")).header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofInputStream());
		CompletableFuture<String> body = CompletableFuture.supplyAsync(() -> {
			try {
				return new String(events.body().readAllBytes());
			}
			catch (java.io.IOException ex) {
				return "failed: " + ex;
			}
		});
		BootStreamIntegrationTests.Await.until("both streams open",
				() -> received.contains("open") && first.activeStreams() == 2);
		assertThat(second.ledger().find(sessionId).openStreams()).isEqualTo(2);

		assertThat(second.admin().endSession(sessionId, SessionStatus.COMPLETED, "admin")).isPresent();

		BootStreamIntegrationTests.Await.until("the socket closed", CLOSE_BOUND, closed::isDone);
		assertThat(closed.get()).isEqualTo(1008);
		BootStreamIntegrationTests.Await.until("the event stream ended", CLOSE_BOUND, body::isDone);
		assertThat(body.get()).contains("data:open").doesNotStartWith("failed");
		BootStreamIntegrationTests.Await.until("streams released on the first node", () -> first.activeStreams() == 0);
		assertThat(second.ledger().find(sessionId).openStreams()).isZero();
		socket.abort();
	}

	private int port(int node) {
		return ((WebServerApplicationContext) this.nodes.get(node)).getWebServer().getPort();
	}

	private URI uri(int node, String path) {
		return URI.create("http://localhost:" + port(node) + path);
	}

	private String sessionCookie() {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("SESSION"))
			.findFirst()
			.orElseThrow()
			.getValue();
	}

}
