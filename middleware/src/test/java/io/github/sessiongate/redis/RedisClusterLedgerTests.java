package io.github.sessiongate.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis ledger on a local Redis Cluster of three masters, started from the same
 * binary with slots assigned here ({@code CLUSTER ADDSLOTS}, {@code CLUSTER MEET}).
 */
class RedisClusterLedgerTests {

	private static final List<RedisTestServer> nodes = new ArrayList<>();

	private static final List<LettuceConnectionFactory> standalone = new ArrayList<>();

	private static LettuceConnectionFactory cluster;

	@BeforeAll
	static void startCluster() {
		for (int i = 0; i < 3; i++) {
			nodes.add(RedisTestServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					"--cluster-node-timeout", "2000"));
		}
		RedisClient client = RedisClient.create();
		try {
			List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
			for (RedisTestServer node : nodes) {
				connections.add(client.connect(RedisURI.create(node.host(), node.port())));
			}
			int[][] ranges = { { 0, 5460 }, { 5461, 10922 }, { 10923, 16383 } };
			for (int i = 0; i < 3; i++) {
				connections.get(i).sync().clusterAddSlots(IntStream.rangeClosed(ranges[i][0], ranges[i][1]).toArray());
			}
			for (int i = 1; i < 3; i++) {
				connections.get(0).sync().clusterMeet(nodes.get(i).host(), nodes.get(i).port());
			}
			Await.until("the cluster is up", Duration.ofSeconds(20),
					() -> connections.stream().map(StatefulRedisConnection::sync).allMatch((sync) -> {
						String info = sync.clusterInfo();
						return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3");
					}));
			connections.forEach(StatefulRedisConnection::close);
		}
		finally {
			client.shutdown();
		}
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				nodes.stream().map((node) -> node.host() + ":" + node.port()).toList());
		cluster = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		cluster.afterPropertiesSet();
		cluster.start();
		for (RedisTestServer node : nodes) {
			standalone.add(RedisSessionLedger.connectionFactory(node.uri(), Duration.ofSeconds(5)));
		}
	}

	@AfterAll
	static void stopCluster() {
		standalone.forEach(LettuceConnectionFactory::destroy);
		if (cluster != null) {
			cluster.destroy();
		}
		nodes.forEach(RedisTestServer::close);
	}

	@Test
	void ledgerWhenOnClusterThenScriptsRunKeysLandByHashTagAndLimitsHold() throws Exception {
		String prefix = "cluster:";
		try (RedisSessionLedger ledger = RedisSessionLedger.builder(cluster).keyPrefix(prefix).build()) {
			int limit = 3;
			SessionLimits limits = SessionLimits.builder()
				.maxConcurrentRequestsPerSession(limit)
				.maxSessions(40)
				.maxSessionsPerUser(2)
				.sessionsPerUserPolicy(SessionsPerUserPolicy.END_OLDEST)
				.build();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				ids.add(UUID.randomUUID().toString());
			}
			AtomicInteger inside = new AtomicInteger();
			AtomicInteger maxInside = new AtomicInteger();
			AtomicInteger admitted = new AtomicInteger();
			AtomicInteger rejected = new AtomicInteger();
			String hot = ids.get(0);
			RedisGateIntegrationTests.runConcurrently(8, (thread) -> {
				for (int i = 0; i < 25; i++) {
					Admission admission = ledger.begin(start(hot, limits));
					if (admission instanceof Admission.Admitted ok) {
						admitted.incrementAndGet();
						maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
						Thread.sleep(1);
						inside.decrementAndGet();
						ledger.end(ok.permit(), new RequestOutcome(1000, false));
					}
					else {
						assertThat(((Admission.Rejected) admission).limit()).isEqualTo(Limit.SESSION_CONCURRENCY);
						rejected.incrementAndGet();
					}
				}
			});
			for (String id : ids.subList(1, ids.size())) {
				Admission admission = ledger.begin(start(id, limits));
				ledger.end(((Admission.Admitted) admission).permit(), new RequestOutcome(1000, false));
			}
			for (String id : ids.subList(0, 5)) {
				assertThat(ledger.bindUser(id, "alice", limits).outcome()).isEqualTo(BindResult.Outcome.BOUND);
			}
			String rotated = UUID.randomUUID().toString();
			assertThat(ledger.changeSessionId(ids.get(4), rotated)).isTrue();
			ledger.endSession(ids.get(10), SessionStatus.COMPLETED, "logout");

			SessionStats hotStats = ledger.find(hot);
			assertThat(maxInside.get()).isLessThanOrEqualTo(limit);
			assertThat(hotStats.requestCount()).isEqualTo(admitted.get());
			assertThat(hotStats.rejectionCount()).isEqualTo(rejected.get());
			assertThat(hotStats.activeRequests()).isZero();
			assertThat(ledger.findByUser("alice")).filteredOn((stats) -> stats.status() == SessionStatus.ACTIVE)
				.extracting(SessionStats::sessionId)
				.containsExactlyInAnyOrder(ids.get(3), rotated);
			assertThat(ledger.activeSessions()).isEqualTo(30 - 3 - 1);
			assertThat(ledger.sweep(limits)).isEmpty();
			int nodesWithKeys = 0;
			for (LettuceConnectionFactory node : standalone) {
				List<String> keys = RedisKeysProbe.keys(node, prefix);
				nodesWithKeys += keys.isEmpty() ? 0 : 1;
				assertThat(RedisKeysProbe.keysWithoutTtl(node, prefix)).as("keys without a TTL").isEmpty();
			}
			// sessions spread over all masters by their hash tags, and every script ran
			// (a script touching two slots would have failed with CROSSSLOT)
			assertThat(nodesWithKeys).isEqualTo(3);
		}
	}

	private static RequestStart start(String id, SessionLimits limits) {
		return new RequestStart(id, null, Instant.now(), Duration.ofMinutes(30), limits);
	}

}
