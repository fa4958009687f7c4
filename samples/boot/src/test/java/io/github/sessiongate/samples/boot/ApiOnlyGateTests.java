package io.github.sessiongate.samples.boot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.sessiongate.SessionContextHolder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code api-only} profile's filter registration replaces the starter's: only
 * {@code /api/*} passes the gate.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("api-only")
@Import(ApiOnlyGateTests.GatedProbe.class)
class ApiOnlyGateTests {

	@LocalServerPort
	int port;

	private String get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	@Test
	void onlyApiPathsAreGated() throws Exception {
		assertThat(get("/api/gated")).isEqualTo("true");
		assertThat(get("/gated")).isEqualTo("false");
	}

	@RestController
	static class GatedProbe {

		@GetMapping({ "/api/gated", "/gated" })
		String gated() {
			return Boolean.toString(SessionContextHolder.getContext() != null);
		}

	}

}
