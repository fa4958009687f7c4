package io.github.sessiongate.sample.jetty;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.sessiongate.SessionIds;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the plain-Jetty demo on a random port and uses it like the page does.
 */
class PlainJettyDemoTests {

	private Server server;

	private URI base;

	private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	@BeforeEach
	void start() throws Exception {
		this.server = PlainJettyDemo.start(0);
		this.base = URI.create("http://localhost:" + ((ServerConnector) this.server.getConnectors()[0]).getLocalPort());
	}

	@AfterEach
	void stop() throws Exception {
		this.server.stop();
	}

	private String rawSessionId() {
		String cookie = this.client.cookieHandler()
			.map((handler) -> ((CookieManager) handler).getCookieStore().getCookies())
			.orElseThrow()
			.stream()
			.filter((c) -> c.getName().equals("SESSION"))
			.findFirst()
			.orElseThrow()
			.getValue();
		return new String(Base64.getDecoder().decode(cookie), StandardCharsets.US_ASCII);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(this.base.resolve(path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void demoWhenBurstFiredThenLimitIsVisibleInResponsesAndStats() throws Exception {
		assertThat(get("/").body()).contains("SessionGate");
		String context = get("/api/context").body();
		assertThat(context).containsPattern("\"session\":\"[0-9a-f]{12}\"").contains("\"clientIp\"");
		List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			burst.add(this.client.sendAsync(HttpRequest.newBuilder(this.base.resolve("/api/slow?ms=300")).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		long rejected = burst.stream().map(CompletableFuture::join).filter((r) -> r.statusCode() == 429).count();
		assertThat(rejected).isGreaterThanOrEqualTo(1);
		assertThat(get("/api/fail").statusCode()).isEqualTo(500);

		String stats = get("/api/stats").body();
		assertThat(stats).contains("\"activeSessions\":1").contains("\"session-concurrency\":" + rejected);
		assertThat(stats).contains("\"errors\":1");
		// a raw session id is a credential: neither page shows it, only its short
		// reference
		String rawId = rawSessionId();
		String reference = SessionIds.shortForm(rawId);
		assertThat(context).doesNotContain(rawId).contains(reference);
		assertThat(stats).doesNotContain(rawId).contains("\"session\":\"" + reference + "\"");
		assertThat(get("/health").body()).isEqualTo("UP");
	}

}
