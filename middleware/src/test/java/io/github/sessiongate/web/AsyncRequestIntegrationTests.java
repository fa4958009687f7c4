package io.github.sessiongate.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Async requests keep their permit until the async cycle ends and release it exactly
 * once; re-dispatches are not counted again; aborted clients release their permits.
 */
class AsyncRequestIntegrationTests {

	private final TestApp app = new TestApp();

	private SessionGate gate;

	private JettyTestServer server;

	private final TestClient client = new TestClient();

	@BeforeEach
	void start() {
		this.gate = SessionGate.builder(new MapSessionRepository(new ConcurrentHashMap<>()))
			.creationPolicy(CreationPolicy.ALWAYS)
			.limits(SessionLimits.builder().maxConcurrentRequestsPerSession(1).build())
			.sweepInterval(Duration.ZERO)
			.build();
		this.server = this.app.start(this.gate.filter());
		this.client.get(this.server.uri("/context"));
	}

	@AfterEach
	void stop() {
		this.server.close();
		this.gate.close();
		this.app.close();
	}

	private SessionStats stats() {
		return this.gate.admin().session(this.client.sessionId()).orElseThrow();
	}

	@Test
	void doFilterWhenAsyncInProgressThenPermitIsHeldUntilComplete() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		Duration held;
		try {
			this.app.gate = new CountDownLatch(1);
			Future<HttpResponse<String>> async = executor.submit(() -> this.client.get(this.server.uri("/async")));
			Await.until("async request admitted", () -> stats().activeRequests() == 1);
			long heldSince = System.nanoTime();
			// the servlet returned long ago; the async cycle still holds the session's
			// one permit until the test lets it complete
			assertThat(this.client.get(this.server.uri("/context")).statusCode()).isEqualTo(429);
			held = Duration.ofNanos(System.nanoTime() - heldSince);
			this.app.gate.countDown();
			HttpResponse<String> response = async.get(10, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("async-done");
		}
		finally {
			executor.shutdownNow();
		}
		Await.until("permit released", () -> stats().activeRequests() == 0);
		assertThat(this.client.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
		SessionStats stats = stats();
		assertThat(stats.requestCount()).isEqualTo(3);
		assertThat(stats.rejectionCount()).isEqualTo(1);
		assertThat(stats.errorCount()).isZero();
		// the async request ran from before its admission was seen until after the gate
		// opened
		assertThat(stats.maxProcessingTime()).isGreaterThanOrEqualTo(held);
		assertThat(this.gate.activeRequests()).isZero();
	}

	@Test
	void doFilterWhenAsyncTimesOutThenPermitIsReleasedOnceAndErrorCounted() {
		HttpResponse<String> response = this.client.get(this.server.uri("/async-timeout"));

		assertThat(response.statusCode()).isEqualTo(500);
		Await.until("permit released", () -> stats().activeRequests() == 0 && this.gate.activeRequests() == 0);
		SessionStats stats = stats();
		assertThat(stats.requestCount()).isEqualTo(2);
		assertThat(stats.errorCount()).isEqualTo(1);
		assertThat(this.client.get(this.server.uri("/context")).statusCode()).isEqualTo(200);
		assertThat(stats().activeRequests()).isZero();
	}

	@Test
	void doFilterWhenAsyncDispatchThenRedispatchSeesContextAndIsNotCountedAgain() {
		this.app.seenContexts.clear();
		HttpResponse<String> response = this.client.get(this.server.uri("/async-dispatch"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("session=" + this.client.sessionId());
		Await.until("permit released", () -> stats().activeRequests() == 0);
		assertThat(stats().requestCount()).isEqualTo(2);
		// both the original dispatch and the async re-dispatch saw the context
		assertThat(this.app.seenContexts).hasSize(2);
		assertThat(this.app.seenAfterRequest).isEmpty();
	}

	@Test
	void doFilterWhenClientAbortsThenPermitIsReleased() throws Exception {
		String cookie = this.client.sessionCookie();
		try (Socket socket = new Socket("127.0.0.1", this.server.port())) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /stream HTTP/1.1\r\nHost: localhost\r\nCookie: SESSION=" + cookie + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[8192];
			assertThat(in.read(buffer)).isPositive();
			Await.until("stream admitted", () -> stats().activeRequests() == 1);
		}
		assertThat(this.app.streamFailed.await(20, TimeUnit.SECONDS)).isTrue();
		Await.until("permit released", () -> stats().activeRequests() == 0 && this.gate.activeRequests() == 0);
		assertThat(stats().errorCount()).isEqualTo(1);
		assertThat(this.client.get(this.server.uri("/context"), Map.of()).statusCode()).isEqualTo(200);
	}

}
