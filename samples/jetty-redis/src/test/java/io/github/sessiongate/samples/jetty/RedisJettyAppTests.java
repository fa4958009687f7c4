package io.github.sessiongate.samples.jetty;

import java.net.http.HttpResponse;

import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.TestClient;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts two nodes of the Redis plain Jetty sample on one real {@code redis-server} and
 * shows that they share sessions and the gate's ledger.
 */
class RedisJettyAppTests {

	private Server first;

	private Server second;

	@AfterEach
	void stop() throws Exception {
		if (this.first != null) {
			this.first.stop();
		}
		if (this.second != null) {
			this.second.stop();
		}
	}

	@Test
	void twoNodesOnOneRedisShareTheSessionAndItsUser() throws Exception {
		String redisUri = RedisTestServer.shared().uri();
		this.first = RedisJettyApp.start(0, redisUri);
		this.second = RedisJettyApp.start(0, redisUri);
		assertSharedSessionAndUser("bob");
	}

	@Test
	void twoNodesWithSessionGatesRepositoryShareTheSessionAndItsUser() throws Exception {
		String redisUri = RedisTestServer.shared().uri();
		this.first = RedisJettyApp.startWithSessionGateRepository(0, redisUri);
		this.second = RedisJettyApp.startWithSessionGateRepository(0, redisUri);
		// (another user: both apps share the ledger's key prefix on the shared Redis)
		assertSharedSessionAndUser("carol");
	}

	private void assertSharedSessionAndUser(String user) {
		TestClient browser = new TestClient();

		assertThat(browser.post(this.first.getURI().resolve("/login"), "user=" + user).body()).isEqualTo("BOUND");
		HttpResponse<String> onFirst = browser.get(this.first.getURI().resolve("/whoami"));
		HttpResponse<String> onSecond = browser.get(this.second.getURI().resolve("/whoami"));

		assertThat(onFirst.body()).matches("session=[0-9a-f]{12} user=" + user + " ip=127\\.0\\.0\\.1");
		assertThat(onSecond.body()).isEqualTo(onFirst.body());
		String reference = onFirst.body().substring("session=".length(), 20);
		assertThat(browser.get(this.second.getURI().resolve("/sessions?user=" + user)).body())
			.isEqualTo(reference + " ACTIVE\n");
	}

}
