package io.github.sessiongate.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.RedisTestSessions;
import io.github.sessiongate.testsupport.RedisTestSessions.Kind;
import io.github.sessiongate.testsupport.TestClient;
import jakarta.servlet.AsyncContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request path on Redis, as a client sees it: a sequential client moving between two
 * nodes is never refused by a concurrency limit of 1, and a request refused while Redis
 * is down gets the documented 503 and leaves nothing behind, never a 500 from Spring
 * Session's commit.
 */
class RedisRequestPathIntegrationTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final String prefix = "rp:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void sequentialClientWhenAlternatingTwoNodesAtLimitOneThenNeverRefused(Kind kind) {
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();
		RedisTestServer redis = RedisTestServer.shared();
		Node first = node(kind, redis, limits, StoreFailurePolicy.ALLOW);
		Node second = node(kind, redis, limits, StoreFailurePolicy.ALLOW);
		TestClient browser = new TestClient();
		int requests = 10_000;
		int refused = 0;
		for (int i = 0; i < requests; i++) {
			Node node = (i % 2 == 0) ? first : second;
			// every 100th request keeps the application working after its response is
			// complete: the client's next request reaches the other node meanwhile
			String path = (i % 100 == 0) ? "/complete-then-work" : "/hello";
			if (browser.get(node.server.uri(path)).statusCode() == 429) {
				refused++;
			}
		}
		assertThat(refused).isZero();
		Await.until("all requests ended", () -> first.gate.activeRequests() == 0 && second.gate.activeRequests() == 0);
		SessionStats stats = first.gate.admin().session(browser.sessionId()).orElseThrow();
		assertThat(stats.requestCount()).isEqualTo(requests);
		assertThat(stats.rejectionCount()).isZero();
		assertThat(stats.activeRequests()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void newSessionWhenRedisDownAndPolicyRejectThen503AndNothingSaved(Kind kind) {
		RedisTestServer redis = own(RedisTestServer.start());
		Node node = node(kind, redis, SessionLimits.none(), StoreFailurePolicy.REJECT);
		assertThat(new TestClient().get(node.server.uri("/hello")).statusCode()).isEqualTo(200);
		redis.stop();

		HttpResponse<String> refused = new TestClient().get(node.server.uri("/hello"));

		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(refused.headers().allValues("Set-Cookie")).allMatch((cookie) -> cookie.contains("Max-Age=0"));
		assertThat(node.gate.rejections(Limit.CAPACITY)).isZero();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void asyncRequestsWhenCompletedOnAnotherThreadThenSessionChangesAndCountsAreKept(Kind kind) {
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();
		Node node = node(kind, RedisTestServer.shared(), limits, StoreFailurePolicy.ALLOW);
		TestClient browser = new TestClient();
		int requests = 30;
		for (int i = 1; i <= requests; i++) {
			HttpResponse<String> response = browser.get(node.server.uri("/async-count"));
			assertThat(response.statusCode()).isEqualTo(200);
			// the session's change of each request was saved, although its end ran on
			// another thread than the one that loaded the session
			assertThat(response.body()).isEqualTo(Integer.toString(i));
		}
		Await.until("all requests ended", () -> node.gate.activeRequests() == 0);
		SessionStats stats = node.gate.admin().session(browser.sessionId()).orElseThrow();
		assertThat(stats.requestCount()).isEqualTo(requests);
		assertThat(stats.rejectionCount()).isZero();
		assertThat(stats.activeRequests()).isZero();
	}

	private Node node(Kind kind, RedisTestServer redis, SessionLimits limits, StoreFailurePolicy policy) {
		LettuceConnectionFactory connectionFactory = RedisSessionLedger.connectionFactory(redis.uri(),
				Duration.ofSeconds(2));
		this.resources.add(connectionFactory::destroy);
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build();
		SessionRepository<? extends Session> repository = GuardedSessionRepository.of(RedisTestSessions.repository(kind,
				connectionFactory, ledger, this.prefix + "sessions", Duration.ofMinutes(30)), ledger.circuitBreaker(),
				policy);
		SessionGate gate = own(SessionGate.builder(repository)
			.ledger(ledger)
			.limits(limits)
			.creationPolicy(CreationPolicy.ALWAYS)
			.storeFailurePolicy(policy)
			.sweepInterval(Duration.ZERO)
			.build());
		JettyTestServer server = own(JettyTestServer.start(gate.filter(), (context) -> {
			JettyTestServer.servlet(context, "/hello", RedisGateIntegrationTests.servlet((request, response) -> {
				byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
				response.setContentLength(body.length);
				response.getOutputStream().write(body);
			}));
			JettyTestServer.servlet(context, "/async-count", RedisGateIntegrationTests.servlet((request, response) -> {
				Integer count = (Integer) request.getSession().getAttribute("count");
				int next = (count != null) ? count + 1 : 1;
				request.getSession().setAttribute("count", next);
				AsyncContext async = request.startAsync();
				new Thread(() -> {
					try {
						async.getResponse().getWriter().print(next);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
					async.complete();
				}, "async-count").start();
			}));
			JettyTestServer.servlet(context, "/complete-then-work",
					RedisGateIntegrationTests.servlet((request, response) -> {
						response.setContentLength(4);
						response.getOutputStream().write("done".getBytes(StandardCharsets.US_ASCII));
						try {
							Thread.sleep(50);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}));
		}));
		return new Node(server, gate);
	}

	private <T extends AutoCloseable> T own(T resource) {
		this.resources.add(resource);
		return resource;
	}

	record Node(JettyTestServer server, SessionGate gate) {
	}

}
