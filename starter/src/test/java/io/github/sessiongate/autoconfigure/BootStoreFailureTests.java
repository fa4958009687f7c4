package io.github.sessiongate.autoconfigure;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sessiongate.on-store-failure=reject} in a Boot app on Tomcat with
 * {@code sessiongate.limits.max-active-requests} set, on a real {@code redis-server} that
 * the test kills: every request during the outage is the {@code 503} problem, and none of
 * them stays counted as active, so the node serves a full burst again once Redis is back.
 */
class BootStoreFailureTests {

	private static final int MAX_ACTIVE = 4;

	@ParameterizedTest
	@ValueSource(strings = { "spring-session", "sessiongate" })
	void redisKilledWhenPolicyRejectThenRefusalsAreNotCountedAsActiveAndABurstIsAdmittedAfterwards(String repository)
			throws Exception {
		try (RedisTestServer redis = RedisTestServer.start();
				ConfigurableApplicationContext app = start(redis, repository)) {
			URI base = URI.create("http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort());
			SessionGate gate = app.getBean(SessionGate.class);
			MeterRegistry meters = app.getBean(MeterRegistry.class);
			TestBrowser browser = new TestBrowser();
			assertThat(browser.get(base.resolve("/context")).statusCode()).isEqualTo(200);

			redis.kill();
			for (int i = 0; i < 3 * MAX_ACTIVE; i++) {
				assertThat(browser.get(base.resolve("/context")).statusCode()).isEqualTo(503);
			}
			redis.restart();
			Await.until("service returned", Duration.ofSeconds(30),
					() -> get(new TestBrowser(), base.resolve("/context")) == 200);

			Await.until("no request in progress", () -> gate.activeRequests() == 0);
			assertThat(gate.admin().summary().activeRequests()).isZero();
			assertThat(meters.get(SessionGateMetrics.REQUESTS_ACTIVE).gauge().value()).isZero();
			assertBurstUpToMaxActiveIsAdmitted(app.getBean(TestApplication.Gate.class), gate, base);
		}
	}

	private static void assertBurstUpToMaxActiveIsAdmitted(TestApplication.Gate hold, SessionGate gate, URI base)
			throws Exception {
		hold.entered = new CountDownLatch(MAX_ACTIVE);
		hold.release = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(MAX_ACTIVE);
		try {
			List<Future<HttpResponse<String>>> held = new ArrayList<>();
			for (int i = 0; i < MAX_ACTIVE; i++) {
				TestBrowser browser = new TestBrowser();
				held.add(executor.submit(() -> browser.get(base.resolve("/hold"))));
			}
			assertThat(hold.entered.await(30, TimeUnit.SECONDS)).as("the burst inside").isTrue();
			assertThat(gate.activeRequests()).isEqualTo(MAX_ACTIVE);
			hold.release.countDown();
			for (Future<HttpResponse<String>> response : held) {
				assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			}
		}
		finally {
			hold.release.countDown();
			executor.shutdownNow();
		}
		Await.until("the burst ended", () -> gate.activeRequests() == 0);
	}

	private static int get(TestBrowser browser, URI uri) {
		try {
			return browser.get(uri).statusCode();
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private static ConfigurableApplicationContext start(RedisTestServer redis, String repository) {
		String namespace = "sf-" + UUID.randomUUID().toString().substring(0, 8);
		return new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(), "spring.data.redis.timeout=300ms",
					"spring.session.redis.namespace=" + namespace + ":sessions",
					"sessiongate.redis.key-prefix=" + namespace + ":gate:",
					"sessiongate.redis.session-repository=" + repository, "sessiongate.creation-policy=always",
					"sessiongate.on-store-failure=reject", "sessiongate.limits.max-active-requests=" + MAX_ACTIVE)
			.run();
	}

}
