package io.github.sessiongate.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's live stream ({@code GET /api/live}, server-sent events): it does not hold a
 * request permit of the session, so the user's requests go on beside it, and it ends
 * normally a moment after the admin ends the session.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LiveStreamDemoTests {

	@LocalServerPort
	private int port;

	@Test
	void liveStreamWhenAdminEndsTheSessionThenEndsNormally() throws Exception {
		DemoUser alice = DemoUser.login(this.port, "alice", "alice");
		String reference = JsonPath.parse(alice.get("/api/context").body()).read("$.session", String.class);
		HttpResponse<InputStream> live = alice.openEventStream("/api/live");
		assertThat(live.statusCode()).isEqualTo(200);
		List<String> lines = new CopyOnWriteArrayList<>();
		CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> read(live.body(), lines));
		awaitUntil("a tick", Duration.ofSeconds(10), () -> lines.stream().anyMatch((l) -> l.startsWith("event:tick")));
		// the stream holds no request permit: ordinary requests go on beside it
		for (int i = 0; i < 5; i++) {
			assertThat(alice.get("/api/context").statusCode()).isEqualTo(200);
		}

		DemoUser admin = DemoUser.login(this.port, "admin", "admin");
		assertThat(admin.postJson("/api/sessions/" + reference + "/end", "{}").statusCode()).isEqualTo(204);

		awaitUntil("the live stream ended", Duration.ofSeconds(3), ended::isDone);
		assertThat(ended.get()).as("ended normally, not with an error").isTrue();
	}

	private static boolean read(InputStream body, List<String> lines) {
		try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				lines.add(line);
			}
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void awaitUntil(String what, Duration bound, java.util.function.BooleanSupplier condition)
			throws InterruptedException {
		long deadline = System.nanoTime() + bound.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
			Thread.sleep(10);
		}
	}

}
