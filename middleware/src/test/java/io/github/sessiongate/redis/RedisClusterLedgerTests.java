package io.github.sessiongate.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestCluster;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis ledger on a local Redis Cluster of three masters, started from the same
 * binary with slots assigned here ({@code CLUSTER ADDSLOTS}, {@code CLUSTER MEET}).
 */
class RedisClusterLedgerTests {

	private static RedisTestCluster testCluster;

	private static List<RedisTestServer> nodes;

	private static final List<LettuceConnectionFactory> standalone = new ArrayList<>();

	private static LettuceConnectionFactory cluster;

	@BeforeAll
	static void startCluster() {
		testCluster = RedisTestCluster.start();
		nodes = testCluster.nodes();
		cluster = testCluster.connectionFactory();
		for (RedisTestServer node : nodes) {
			standalone.add(RedisSessionLedger.connectionFactory(node.uri(), Duration.ofSeconds(5)));
		}
	}

	@AfterAll
	static void stopCluster() {
		standalone.forEach(LettuceConnectionFactory::destroy);
		if (testCluster != null) {
			testCluster.close();
		}
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

	@Test
	void ledgerWhenSessionsStartAndEndThenScriptCallsSpreadOverAllMastersWithNoHotSlot() {
		String prefix = "spread:";
		int sessions = 600;
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(4).build();
		List<Map<String, Long>> before = nodes.stream().map(RedisClusterLedgerTests::evalCalls).toList();
		try (RedisSessionLedger ledger = RedisSessionLedger.builder(cluster).keyPrefix(prefix).build()) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < sessions; i++) {
				String id = UUID.randomUUID().toString();
				ids.add(id);
				for (int request = 0; request < 2; request++) {
					Admission admission = ledger.begin(start(id, limits));
					ledger.end(((Admission.Admitted) admission).permit(), new RequestOutcome(1000, false));
				}
			}
			for (String id : ids.subList(0, sessions / 2)) {
				assertThat(ledger.endSession(id, SessionStatus.COMPLETED, "logout")).isNotNull();
			}
			assertThat(ledger.activeSessions()).isEqualTo(sessions / 2);
		}
		long[] calls = new long[nodes.size()];
		long total = 0;
		for (int i = 0; i < nodes.size(); i++) {
			Map<String, Long> after = evalCalls(nodes.get(i));
			calls[i] = after.getOrDefault("evalsha", 0L) + after.getOrDefault("eval", 0L)
					- before.get(i).getOrDefault("evalsha", 0L) - before.get(i).getOrDefault("eval", 0L);
			total += calls[i];
		}
		System.out.printf("Gate scripts per master for %d sessions (2 requests each, half ended by the admin API):%n",
				sessions);
		for (int i = 0; i < nodes.size(); i++) {
			System.out.printf("  master %d (slots %s): %d script calls (%.1f %%), index shards %s%n", i + 1,
					SLOT_RANGES[i], calls[i], 100.0 * calls[i] / total, shardsOn(i));
		}
		// session and index keys hash to every master: none carries every start/end
		for (int i = 0; i < nodes.size(); i++) {
			List<String> indexKeys = RedisKeysProbe.keys(standalone.get(i), prefix + "{index");
			System.out.printf("  master %d holds %d index keys%n", i + 1, indexKeys.size());
			assertThat(indexKeys).as("index keys on master " + (i + 1)).isNotEmpty();
			assertThat(calls[i]).as("script calls on master " + (i + 1)).isLessThan(total / 2);
		}
	}

	@Test
	void loginsWhenEightSessionsRotateAndBindOneUserOnTwoNodesAtOnceThenLimitAndIndexesHold() throws Exception {
		for (SessionsPerUserPolicy policy : SessionsPerUserPolicy.values()) {
			String prefix = "logins-" + policy.name().toLowerCase() + ":";
			SessionLimits limits = SessionLimits.builder().maxSessionsPerUser(2).sessionsPerUserPolicy(policy).build();
			try (RedisSessionLedger first = RedisSessionLedger.builder(cluster).keyPrefix(prefix).build();
					RedisSessionLedger second = RedisSessionLedger.builder(cluster).keyPrefix(prefix).build()) {
				List<String> before = new ArrayList<>();
				List<String> after = new ArrayList<>();
				for (int i = 0; i < 8; i++) {
					before.add(UUID.randomUUID().toString());
					after.add(UUID.randomUUID().toString());
					Admission admission = first.begin(start(before.get(i), limits));
					first.end(((Admission.Admitted) admission).permit(), new RequestOutcome(1000, false));
				}
				List<BindResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
				RedisGateIntegrationTests.runConcurrently(8, (thread) -> {
					// a login: rotate the id (session fixation), then bind the user
					RedisSessionLedger node = (thread % 2 == 0) ? first : second;
					assertThat(node.changeSessionId(before.get(thread), after.get(thread))).isTrue();
					results.add(node.bindUser(after.get(thread), "alice", limits));
				});

				List<String> live = second.findByUser("alice")
					.stream()
					.filter((stats) -> stats.status() == SessionStatus.ACTIVE)
					.map(SessionStats::sessionId)
					.toList();
				assertThat(live).hasSize(2).isSubsetOf(after);
				long bound = results.stream().filter((r) -> r.outcome() == BindResult.Outcome.BOUND).count();
				if (policy == SessionsPerUserPolicy.REJECT_NEW) {
					assertThat(bound).isEqualTo(2);
					assertThat(first.activeSessions()).isEqualTo(8);
				}
				else {
					assertThat(bound).isEqualTo(8);
					List<String> ended = results.stream()
						.flatMap((r) -> r.endedSessions().stream())
						.map(SessionStats::sessionId)
						.toList();
					assertThat(ended).as("sessions ended to make room, each once").hasSize(6).doesNotHaveDuplicates();
					assertThat(first.activeSessions()).isEqualTo(2);
				}
				for (int i = 0; i < 8; i++) {
					assertThat(first.find(before.get(i))).as("state left under the old id").isNull();
					assertThat(first.find(after.get(i))).isNotNull();
				}
				assertThat(first.findByStatus(SessionStatus.ACTIVE, 100)).extracting(SessionStats::sessionId)
					.isSubsetOf(after)
					.hasSize((int) first.activeSessions());
				for (LettuceConnectionFactory node : standalone) {
					assertThat(RedisKeysProbe.keysWithoutTtl(node, prefix)).as("keys without a TTL").isEmpty();
				}
			}
		}
	}

	private static final String[] SLOT_RANGES = { "0-5460", "5461-10922", "10923-16383" };

	private static List<Integer> shardsOn(int master) {
		int low = (master == 0) ? 0 : (master == 1) ? 5461 : 10923;
		int high = (master == 0) ? 5460 : (master == 1) ? 10922 : 16383;
		List<Integer> shards = new ArrayList<>();
		for (int shard = 0; shard < RedisKeys.SHARDS; shard++) {
			int slot = io.lettuce.core.cluster.SlotHash.getSlot("index-" + shard);
			if (slot >= low && slot <= high) {
				shards.add(shard);
			}
		}
		return shards;
	}

	private static Map<String, Long> evalCalls(RedisTestServer node) {
		Map<String, Long> calls = new java.util.TreeMap<>();
		RedisClient client = RedisClient.create(RedisURI.create(node.host(), node.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			for (String line : connection.sync().info("commandstats").split("\r?\n")) {
				if (line.startsWith("cmdstat_eval")) {
					String name = line.substring("cmdstat_".length(), line.indexOf(':'));
					String value = line.substring(line.indexOf("calls=") + "calls=".length());
					calls.put(name, Long.parseLong(value.substring(0, value.indexOf(','))));
				}
			}
		}
		finally {
			client.shutdown();
		}
		return calls;
	}

	private static RequestStart start(String id, SessionLimits limits) {
		return new RequestStart(id, null, Instant.now(), Duration.ofMinutes(30), limits);
	}

}
