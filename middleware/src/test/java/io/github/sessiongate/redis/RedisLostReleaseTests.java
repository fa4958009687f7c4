package io.github.sessiongate.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.RedisTestCluster;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request's end that the dying master acknowledged but never passed on to its replica:
 * the promoted replica still holds the request's lease. Made to happen on purpose here
 * (the replica is frozen while the end runs, then the master is killed) on a real Redis
 * Cluster with replicas.
 *
 * @author SessionGate team
 */
class RedisLostReleaseTests {

	/**
	 * Far longer than the test waits: only freeing the lease again can free it in time.
	 */
	private static final Duration LEASE_TIME = Duration.ofSeconds(60);

	@Test
	void endLostInFailoverWhenLedgerSeesTheFailureThenTheLeaseIsFreedAgainAndTheSessionServed() throws Exception {
		try (RedisTestCluster cluster = RedisTestCluster.startWithReplicas()) {
			LettuceConnectionFactory factory = cluster.newConnectionFactory(Duration.ofMillis(500),
					ClusterTopologyRefreshOptions.builder()
						.enableAllAdaptiveRefreshTriggers()
						.enablePeriodicRefresh(Duration.ofSeconds(1))
						.build());
			try (RedisSessionLedger ledger = RedisSessionLedger.builder(factory).leaseTime(LEASE_TIME).build()) {
				SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();
				String sessionId = UUID.randomUUID().toString();
				int master = RedisTestCluster.masterOf(sessionId);
				RedisTestServer primary = cluster.nodes().get(master);
				RedisTestServer replica = cluster.replicas().get(master);
				RequestStart start = new RequestStart(sessionId, null, Instant.now(), Duration.ofMinutes(30), limits);

				// the admission reaches the replica; the end does not
				Admission.Admitted admitted = (Admission.Admitted) ledger.begin(start);
				awaitReplicated(primary);
				replica.pause();
				// more than the kernel buffers between the two hold: what the master
				// writes
				// next stays in its own output buffer, and dies with it
				fill(primary, sessionId);
				ledger.end(admitted.permit(), new RequestOutcome(1_000, false));
				primary.kill();
				replica.resume();

				// the session's next requests fail until the replica took over (the node
				// learns of the failure there), then one is admitted
				long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
				Admission admission = null;
				while (System.nanoTime() < deadline) {
					try {
						admission = ledger.begin(start);
					}
					catch (RuntimeException ex) {
						admission = null;
					}
					if (admission instanceof Admission.Admitted taken) {
						ledger.end(taken.permit(), new RequestOutcome(1_000, false));
						break;
					}
					Thread.sleep(50);
				}
				assertThat(admission).as("the session admitted again after the failover")
					.isInstanceOf(Admission.Admitted.class);
			}
			finally {
				factory.destroy();
			}
		}
	}

	/** Writes 32 MB to the master (keys in the session's slot). */
	private static void fill(RedisTestServer primary, String sessionId) {
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client
			.connect(RedisURI.create(primary.host(), primary.port()))) {
			String megabyte = "x".repeat(1 << 20);
			for (int i = 0; i < 32; i++) {
				connection.sync().set("filler:{" + sessionId + "}:" + i, megabyte);
			}
		}
		finally {
			client.shutdown();
		}
	}

	/** Waits until the master's replica has every write so far ({@code WAIT}). */
	private static void awaitReplicated(RedisTestServer primary) {
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client
			.connect(RedisURI.create(primary.host(), primary.port()))) {
			Await.until("replicated", () -> connection.sync().waitForReplication(1, 1000) >= 1);
		}
		finally {
			client.shutdown();
		}
	}

}
