package io.github.sessiongate.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as the issue saw it fail: two Boot instances (Spring Security, Spring Session
 * Data Redis, the starter, properties only) on one real {@code redis-server} that is
 * killed under a logged-in user, then restarted empty. Spring Session loads the session
 * in Spring Security's filters, before the gate: its failures must get the
 * {@code on-store-failure} answer too, never a {@code 500}.
 */
class RedisFailureDemoTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@ParameterizedTest
	@CsvSource({ "allow, 302", "reject, 503" })
	void redisKilledWhenUserLoggedInOnTwoInstancesThenDocumentedAnswerAndServiceAfterRestart(String policy,
			int expectedStatus) throws Exception {
		RedisTestServer redis = RedisTestServer.start();
		this.resources.add(redis);
		int first = start(redis, policy);
		int second = start(redis, policy);
		DemoUser bob = DemoUser.login(first, "bob", "bob");
		assertThat(bob.get("/api/context").statusCode()).isEqualTo(200);
		assertThat(bob.at(second).get("/api/context").statusCode()).isEqualTo(200);

		redis.kill();
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			HttpResponse<String> response = bob.at((i % 2 == 0) ? first : second).get("/api/context");
			statuses.add(response.statusCode());
			if (response.statusCode() == 503) {
				assertThat(response.headers().firstValue("Content-Type"))
					.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			}
		}
		// allow: the session cannot be loaded, so the user is a new visitor (to the login
		// page); reject: 503 with a problem body
		assertThat(statuses).containsOnly(expectedStatus);

		redis.restart();
		for (int port : new int[] { first, second }) {
			Await.until("logins work again", Duration.ofSeconds(5), () -> logsIn(port));
		}
	}

	@Test
	void dashboardsWhenTwoInstancesShareRedisThenTheirSessionCountsAgree() throws Exception {
		RedisTestServer redis = RedisTestServer.start();
		this.resources.add(redis);
		int first = start(redis, "allow");
		int second = start(redis, "allow");
		DemoUser bob = DemoUser.login(first, "bob", "bob");
		for (int i = 0; i < 6; i++) {
			assertThat(bob.at((i % 2 == 0) ? first : second).get("/api/context").statusCode()).isEqualTo(200);
		}
		DemoUser admin = DemoUser.login(second, "admin", "admin");

		String onFirst = cards(admin.at(first).get("/api/dashboard").body());
		String onSecond = cards(admin.at(second).get("/api/dashboard").body());

		assertThat(onFirst).contains("\"activeSessions\":2").isEqualTo(onSecond);
	}

	/** The five cluster-wide cards of a dashboard's JSON, in order. */
	private static String cards(String json) {
		StringBuilder cards = new StringBuilder();
		for (String name : new String[] { "activeSessions", "activeRequests", "requests", "errors",
				"rejectedRequests" }) {
			Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
			assertThat(matcher.find()).as(name + " in " + json).isTrue();
			cards.append('"').append(name).append("\":").append(matcher.group(1)).append(' ');
		}
		return cards.toString();
	}

	private static boolean logsIn(int port) {
		try {
			return DemoUser.login(port, "bob", "bob").get("/api/context").statusCode() == 200;
		}
		catch (Exception | AssertionError ex) {
			return false;
		}
	}

	private int start(RedisTestServer redis, String policy) {
		// command-line arguments: they win over application.properties
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.data.redis.url=" + redis.uri(), "--spring.data.redis.timeout=300ms",
					"--sessiongate.on-store-failure=" + policy);
		this.resources.add(context);
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
