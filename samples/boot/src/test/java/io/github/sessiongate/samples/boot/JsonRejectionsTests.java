package io.github.sessiongate.samples.boot;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code RejectionHandler} bean replaces the starter's: with
 * {@code ProblemJsonRejectionHandler.alwaysJson()} a browser gets problem+json.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sessiongate.limits.rate.capacity=1", "sessiongate.limits.rate.refill-period=1h" })
@ActiveProfiles("json-rejections")
class JsonRejectionsTests {

	@LocalServerPort
	int port;

	@Test
	void browserGetsProblemJsonWhenTheAppDefinesAlwaysJson() throws Exception {
		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.build();
		HttpRequest page = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/whoami"))
			.header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
			.build();

		assertThat(browser.send(page, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		HttpResponse<String> rejected = browser.send(page, HttpResponse.BodyHandlers.ofString());

		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json;charset=UTF-8");
		assertThat(rejected.body()).contains("\"limit\":\"rate\"");
	}

}
