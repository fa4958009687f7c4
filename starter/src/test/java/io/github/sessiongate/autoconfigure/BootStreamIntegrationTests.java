package io.github.sessiongate.autoconfigure;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams in a real Boot app on Tomcat (random port, real HTTP and WebSocket clients): an
 * {@code SseEmitter} stream does not hold the session's one request permit, a long poll
 * marked by path counts as a stream, and ending the session closes the event stream
 * (normal end), the long poll and a WebSocket (close code 1008).
 *
 * @author SessionGate team
 */
@SpringBootTest(classes = StreamTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"sessiongate.creation-policy=always", "sessiongate.limits.max-concurrent-requests-per-session=1",
		"sessiongate.limits.max-streams-per-session=2", "sessiongate.streams.paths=/poll/**",
		"sessiongate.streams.check-interval=500ms", "management.endpoints.web.exposure.include=*",
		"spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
				+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
class BootStreamIntegrationTests {

	private static final Duration CLOSE_BOUND = Duration.ofSeconds(3);

	@LocalServerPort
	int port;

	@Autowired
	SessionGate gate;

	@Autowired
	MeterRegistry meters;

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient client = HttpClient.newBuilder()
		.cookieHandler(this.cookies)
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private String sessionId;

	@BeforeEach
	void startSession() throws Exception {
		Await.until("no streams left from another test", () -> this.gate.activeStreams() == 0);
		this.sessionId = get("/context").body();
	}

	@Test
	void sseEmitterWhenOpenThenHundredRequestsAtLimitOneAndSessionEndClosesItNormally() throws Exception {
		CompletableFuture<String> body = readEvents(this.client, uri("/events"));
		Await.until("the stream admitted", () -> stats().openStreams() == 1);
		for (int i = 0; i < 100; i++) {
			assertThat(get("/context").statusCode()).as("request %d", i).isEqualTo(200);
		}
		assertThat(this.gate.rejections(Limit.SESSION_CONCURRENCY)).isZero();
		assertThat(this.meters.get(SessionGateMetrics.STREAMS_ACTIVE).gauge().value()).isEqualTo(1.0);

		this.gate.admin().endSession(this.sessionId, SessionStatus.COMPLETED, "admin");

		Await.until("the event stream ended", CLOSE_BOUND, body::isDone);
		assertThat(body.get()).contains("data:open").doesNotStartWith("failed");
		Await.until("streams back to zero", () -> this.gate.activeStreams() == 0);
		assertThat(this.meters.get(SessionGateMetrics.STREAMS_ACTIVE).gauge().value()).isZero();
	}

	@Test
	void eventStreamWhenSessionEndsBeforeItsDispatchReturnedThenStillEndsNormally() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		StreamTestApplication.RELEASE.set(release);
		try {
			CompletableFuture<String> body = readEvents(this.client, uri("/held-events"));
			Await.until("the stream admitted", () -> stats().openStreams() == 1);

			// the servlet still holds its dispatch: the gate has not seen the cycle yet
			this.gate.admin().endSession(this.sessionId, SessionStatus.COMPLETED, "admin");
			release.countDown();

			Await.until("the event stream ended", CLOSE_BOUND, body::isDone);
			assertThat(body.get()).startsWith("data:open");
			Await.until("streams back to zero", () -> this.gate.activeStreams() == 0);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void longPollByPathWhenBeyondStreamsPerSessionThen429AndSessionEndCompletesThem() throws Exception {
		CompletableFuture<HttpResponse<String>> first = this.client
			.sendAsync(HttpRequest.newBuilder(uri("/poll/messages")).build(), HttpResponse.BodyHandlers.ofString());
		CompletableFuture<HttpResponse<String>> second = this.client
			.sendAsync(HttpRequest.newBuilder(uri("/poll/messages")).build(), HttpResponse.BodyHandlers.ofString());
		Await.until("two long polls admitted", () -> stats().openStreams() == 2);
		long rejectedBefore = this.gate.rejections(Limit.SESSION_STREAMS);

		HttpResponse<String> third = get("/poll/messages");

		assertThat(third.statusCode()).isEqualTo(429);
		assertThat(third.body()).contains("\"limit\":\"session-streams\"");
		assertThat(this.gate.rejections(Limit.SESSION_STREAMS)).isEqualTo(rejectedBefore + 1);
		assertThat(get("/context").statusCode()).isEqualTo(200);

		this.gate.admin().endSession(this.sessionId, SessionStatus.COMPLETED, "admin");
		Await.until("both long polls completed", CLOSE_BOUND, () -> first.isDone() && second.isDone());
		Await.until("streams back to zero", () -> this.gate.activeStreams() == 0);
	}

	@Test
	void webSocketWhenSessionEndsThenClosedWith1008() throws Exception {
		SocketListener listener = new SocketListener();
		ConcurrentLinkedQueue<String> received = listener.received;
		CompletableFuture<Integer> closed = listener.closed;
		WebSocket socket = this.client.newWebSocketBuilder()
			.header("Cookie", "SESSION=" + sessionCookie())
			.buildAsync(URI.create("ws://localhost:" + this.port + "/socket"), listener)
			.join();
		Await.until("the socket opened", () -> received.contains("open"));
		Await.until("the socket counted as a stream", () -> stats().openStreams() == 1);
		assertThat(this.gate.activeStreams()).isEqualTo(1);
		// the upgrade request ended long ago; the socket holds no request permit
		assertThat(get("/context").statusCode()).isEqualTo(200);

		this.gate.admin().endSession(this.sessionId, SessionStatus.COMPLETED, "admin");

		Await.until("the socket closed", CLOSE_BOUND, closed::isDone);
		assertThat(closed.get()).isEqualTo(1008);
		Await.until("streams back to zero", () -> this.gate.activeStreams() == 0);
		assertThat(this.gate.ledger().find(this.sessionId).openStreams()).isZero();
		socket.abort();
	}

	private SessionStats stats() {
		return this.gate.ledger().find(this.sessionId);
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

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Polls with a deadline. */
	static final class Await {

		static void until(String what, BooleanSupplier condition) {
			until(what, Duration.ofSeconds(10), condition);
		}

		static void until(String what, Duration bound, BooleanSupplier condition) {
			long deadline = System.nanoTime() + bound.toNanos();
			while (!condition.getAsBoolean()) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("Timed out after " + bound + " waiting for: " + what);
				}
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError(ex);
				}
			}
		}

	}

	/**
	 * Opens a server-sent events stream and reads it to its end in the background.
	 * @return the whole body once the stream ended, or {@code "failed: "} and the error
	 * when it did not end normally
	 */
	static CompletableFuture<String> readEvents(HttpClient client, URI uri) throws Exception {
		HttpResponse<java.io.InputStream> events = client.send(
				HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(events.statusCode()).isEqualTo(200);
		return CompletableFuture.supplyAsync(() -> {
			try {
				return new String(events.body().readAllBytes());
			}
			catch (java.io.IOException ex) {
				return "failed: " + ex;
			}
		});
	}

	/**
	 * A WebSocket client's listener: keeps the texts it receives and the close status.
	 */
	static final class SocketListener implements WebSocket.Listener {

		final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

		final CompletableFuture<Integer> closed = new CompletableFuture<>();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.received.add(data.toString());
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

	}

}
