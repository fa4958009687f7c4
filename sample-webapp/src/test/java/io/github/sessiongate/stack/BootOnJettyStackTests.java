package io.github.sessiongate.stack;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.stack.StackTestApplication.Release;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Today's stack from a user's side: Spring Boot on Jetty (the Jetty starter, Tomcat
 * excluded), {@code spring.threads.virtual.enabled=true}, on the JVM that runs the tests.
 * {@code ./mvnw verify} runs it on Java 17 (virtual threads need 21, so the property has
 * no effect there) and again on Java 25 when a JDK 25 is installed (the {@code java25}
 * profile of this module sets {@code sessiongate.test.java=25}, which the test checks, so
 * a run on another JVM cannot pass for it).
 */
class BootOnJettyStackTests {

	private static final int PARALLEL = 10;

	private ConfigurableApplicationContext context;

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void holdWhenTenParallelRequestsOfOneSessionAtLimitOneThenOne200WithContextAndNine429() throws Exception {
		this.context = new SpringApplicationBuilder(StackTestApplication.class).run("--server.port=0",
				"--spring.threads.virtual.enabled=true", "--sessiongate.limits.max-concurrent-requests-per-session=1");
		assertThat(((WebServerApplicationContext) this.context).getWebServer()).isInstanceOf(JettyWebServer.class);
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		CookieManager cookies = new CookieManager();
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.cookieHandler(cookies)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		URI base = URI.create("http://localhost:" + port);
		assertThat(client
			.send(HttpRequest.newBuilder(base.resolve("/start")).build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);
		HttpCookie session = cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("SESSION"))
			.findFirst()
			.orElseThrow();
		String reference = SessionIds
			.shortForm(new String(Base64.getDecoder().decode(session.getValue()), StandardCharsets.UTF_8));

		CountDownLatch refused = new CountDownLatch(PARALLEL - 1);
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < PARALLEL; i++) {
			// the list keeps the response future itself: it is done before the callback
			// counts it (a future derived with whenComplete is done only after the
			// callback, so the ninth could still be running when the latch opens)
			CompletableFuture<HttpResponse<String>> sent = client.sendAsync(
					HttpRequest.newBuilder(base.resolve("/hold")).timeout(Duration.ofSeconds(40)).build(),
					HttpResponse.BodyHandlers.ofString());
			sent.whenComplete((response, failure) -> refused.countDown());
			responses.add(sent);
		}
		// one request holds the session's only permit until released: the others are
		// answered while it is provably in flight
		assertThat(refused.await(30, TimeUnit.SECONDS)).as("nine requests answered while one is held").isTrue();
		assertThat(responses.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join))
			.hasSize(PARALLEL - 1)
			.allSatisfy((response) -> {
				assertThat(response.statusCode()).isEqualTo(429);
				assertThat(response.headers().firstValue("Content-Type"))
					.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
				assertThat(response.body()).contains("\"limit\":\"session-concurrency\"");
			});
		this.context.getBean(Release.class).open();
		HttpResponse<String> admitted = responses.stream()
			.map(CompletableFuture::join)
			.filter((response) -> response.statusCode() != 429)
			.reduce((a, b) -> {
				throw new AssertionError("two requests admitted: " + a.body() + " and " + b.body());
			})
			.orElseThrow();
		assertThat(admitted.statusCode()).isEqualTo(200);
		int java = Runtime.version().feature();
		assertThat(admitted.body()).contains("\"released\":true")
			.contains("\"session\":\"" + reference + "\"")
			.contains("\"virtual\":" + (java >= 21))
			.contains("\"java\":" + java);
		String expectedJava = System.getProperty("sessiongate.test.java");
		if (expectedJava != null) {
			assertThat(java).as("the JVM this run was meant for").isEqualTo(Integer.parseInt(expectedJava));
		}
	}

}
