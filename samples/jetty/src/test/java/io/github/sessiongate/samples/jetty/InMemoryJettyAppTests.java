package io.github.sessiongate.samples.jetty;

import java.net.URI;
import java.net.http.HttpResponse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the in-memory plain Jetty sample as the guide runs it and drives it with a real
 * HTTP client.
 */
class InMemoryJettyAppTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private Server server;

	@BeforeEach
	void start() throws Exception {
		this.server = InMemoryJettyApp.start(0, this.meters);
	}

	@AfterEach
	void stop() throws Exception {
		this.server.stop();
	}

	private URI uri(String path) {
		return this.server.getURI().resolve(path);
	}

	@Test
	void whoamiThenLoginThenLogoutShowsShortSessionReferenceOnly() {
		SampleClient browser = new SampleClient();

		HttpResponse<String> anonymous = browser.get(uri("/whoami"));
		assertThat(anonymous.statusCode()).isEqualTo(200);
		assertThat(anonymous.body()).matches("session=[0-9a-f]{12} user=anonymous ip=127\\.0\\.0\\.1");

		assertThat(browser.post(uri("/login"), "user=alice").body()).isEqualTo("BOUND");
		String reference = browser.get(uri("/whoami")).body().substring("session=".length(), 20);
		assertThat(browser.get(uri("/sessions?user=alice")).body()).isEqualTo(reference + " ACTIVE\n");

		assertThat(browser.post(uri("/logout"), "").body()).isEqualTo("ended");
		assertThat(browser.get(uri("/sessions?user=alice")).body()).isEqualTo(reference + " COMPLETED\n");
	}

	@Test
	void metersAreBoundToTheRegistry() {
		new SampleClient().get(uri("/whoami"));

		assertThat(this.meters.get("sessiongate.sessions.created").meter().measure())
			.singleElement()
			.satisfies((measurement) -> assertThat(measurement.getValue()).isEqualTo(1));
	}

}
