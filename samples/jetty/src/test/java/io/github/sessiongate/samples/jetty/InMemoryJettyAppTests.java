package io.github.sessiongate.samples.jetty;

import java.net.URI;
import java.net.http.HttpResponse;

import io.github.sessiongate.testsupport.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Starts the in-memory plain Jetty sample as the guide runs it and drives it with a real
 * HTTP client. The sample's dependencies are exactly the guide's list
 * ({@code DependencyListsTests} in sample-webapp compares them), and the test
 * dependencies add nothing the app could lean on: no Spring Framework.
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
	void startsWithoutSpringFrameworkOnTheClassPath() {
		// sessiongate-middleware must run with only what it declares (spring-session-core
		// does not bring spring-core): the server above started without it
		assertThatExceptionOfType(ClassNotFoundException.class)
			.isThrownBy(() -> Class.forName("org.springframework.core.Ordered"));
		assertThat(new TestClient().get(uri("/whoami")).statusCode()).isEqualTo(200);
	}

	@Test
	void whoamiThenLoginThenLogoutShowsShortSessionReferenceOnly() {
		TestClient browser = new TestClient();

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
		new TestClient().get(uri("/whoami"));

		assertThat(this.meters.get("sessiongate.sessions.created").meter().measure())
			.singleElement()
			.satisfies((measurement) -> assertThat(measurement.getValue()).isEqualTo(1));
	}

}
