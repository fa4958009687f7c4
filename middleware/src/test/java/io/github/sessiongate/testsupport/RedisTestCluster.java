package io.github.sessiongate.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A local Redis Cluster of three masters started from the test {@code redis-server}
 * binary, slots assigned evenly ({@code CLUSTER ADDSLOTS}, {@code CLUSTER MEET}), with a
 * cluster-aware connection factory; optionally with one replica per master, for failovers
 * ({@link #startWithReplicas()}).
 */
public final class RedisTestCluster implements AutoCloseable {

	private static final int[][] SLOT_RANGES = { { 0, 5460 }, { 5461, 10922 }, { 10923, 16383 } };

	/** How long a node may be unreachable before the others fail it over (ms). */
	private static final String NODE_TIMEOUT = "2000";

	private final List<RedisTestServer> nodes = new ArrayList<>();

	private final List<RedisTestServer> replicas = new ArrayList<>();

	private final LettuceConnectionFactory connectionFactory;

	/**
	 * Client resources of the factories made by
	 * {@link #newConnectionFactory(Duration, ClusterTopologyRefreshOptions)}.
	 */
	private final List<ClientResources> clientResources = new CopyOnWriteArrayList<>();

	private RedisTestCluster(boolean withReplicas) {
		for (int i = 0; i < ((withReplicas) ? 6 : 3); i++) {
			// a replica may always take over, however long it was cut off
			RedisTestServer server = RedisTestServer.start("--cluster-enabled", "yes", "--cluster-config-file",
					"nodes.conf", "--cluster-node-timeout", NODE_TIMEOUT, "--cluster-replica-validity-factor", "0");
			((i < 3) ? this.nodes : this.replicas).add(server);
		}
		RedisClient client = RedisClient.create();
		try {
			List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
			for (RedisTestServer node : servers()) {
				connections.add(client.connect(RedisURI.create(node.host(), node.port())));
			}
			for (int i = 0; i < 3; i++) {
				connections.get(i)
					.sync()
					.clusterAddSlots(IntStream.rangeClosed(SLOT_RANGES[i][0], SLOT_RANGES[i][1]).toArray());
			}
			for (RedisTestServer node : servers().subList(1, connections.size())) {
				connections.get(0).sync().clusterMeet(node.host(), node.port());
			}
			int known = connections.size();
			Await.until("the cluster is up", Duration.ofSeconds(20),
					() -> connections.stream().map(StatefulRedisConnection::sync).allMatch((sync) -> {
						String info = sync.clusterInfo();
						return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + known);
					}));
			for (int i = 0; i < this.replicas.size(); i++) {
				String masterId = connections.get(i).sync().clusterMyId();
				RedisCommands<String, String> replica = connections.get(3 + i).sync();
				replica.clusterReplicate(masterId);
			}
			Await.until("every replica is in sync with its master", Duration.ofSeconds(20),
					() -> connections.subList(3, connections.size())
						.stream()
						.allMatch((replica) -> replica.sync().info("replication").contains("master_link_status:up")));
			connections.forEach(StatefulRedisConnection::close);
		}
		finally {
			client.shutdown();
		}
		this.connectionFactory = newConnectionFactory();
	}

	/**
	 * Starts a cluster of three masters; close it to stop its servers.
	 * @return the running cluster
	 */
	public static RedisTestCluster start() {
		return new RedisTestCluster(false);
	}

	/**
	 * Starts a cluster of three masters with one replica each (replica {@code i} of
	 * master {@code i}); a master killed is failed over to its replica after the cluster
	 * node timeout (2 s). Close it to stop its servers.
	 * @return the running cluster
	 */
	public static RedisTestCluster startWithReplicas() {
		return new RedisTestCluster(true);
	}

	/**
	 * A cluster-aware connection factory (shared; closed with the cluster).
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * A new cluster-aware connection factory, e.g. one per simulated application node;
	 * the caller destroys it.
	 * @return the started factory
	 */
	public LettuceConnectionFactory newConnectionFactory() {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				servers().stream().map((node) -> node.host() + ":" + node.port()).toList());
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * A new cluster-aware connection factory set up as the starter sets up Spring Boot's
	 * (commands fail at once while disconnected, reconnect attempts at least every 500
	 * ms, Lettuce's own command timeouts on), with the given topology refresh; the caller
	 * destroys it (its client resources are shut down with the cluster).
	 * @param commandTimeout the command timeout ({@code spring.data.redis.timeout})
	 * @param refresh the topology refresh
	 * ({@code spring.data.redis.lettuce.cluster.refresh.*})
	 * @return the started factory
	 */
	public LettuceConnectionFactory newConnectionFactory(Duration commandTimeout,
			ClusterTopologyRefreshOptions refresh) {
		ClientResources resources = ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
			.build();
		this.clientResources.add(resources);
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				servers().stream().map((node) -> node.host() + ":" + node.port()).toList());
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.clientResources(resources)
			.commandTimeout(commandTimeout)
			.clientOptions(ClusterClientOptions.builder()
				.topologyRefreshOptions(refresh)
				.timeoutOptions(TimeoutOptions.enabled())
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * The masters.
	 * @return the three servers
	 */
	public List<RedisTestServer> nodes() {
		return List.copyOf(this.nodes);
	}

	/**
	 * The replicas ({@link #startWithReplicas()}): replica {@code i} follows master
	 * {@code i}.
	 * @return the replicas, none for a cluster without
	 */
	public List<RedisTestServer> replicas() {
		return List.copyOf(this.replicas);
	}

	/**
	 * The master that served a key's slot when the cluster started.
	 * @param key a key or the content of a hash tag
	 * @return its index in {@link #nodes()}
	 */
	public static int masterOf(String key) {
		int slot = SlotHash.getSlot(key);
		for (int i = 0; i < SLOT_RANGES.length; i++) {
			if (slot <= SLOT_RANGES[i][1]) {
				return i;
			}
		}
		throw new IllegalStateException("slot " + slot);
	}

	/**
	 * Waits until a replica took over from its killed master: it is a master with slots
	 * and the cluster serves every slot again.
	 * @param master the index of the killed master in {@link #nodes()}
	 * @param timeout how long to wait
	 */
	public void awaitFailover(int master, Duration timeout) {
		RedisTestServer replica = this.replicas.get(master);
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client
			.connect(RedisURI.create(replica.host(), replica.port()))) {
			connection.setTimeout(Duration.ofSeconds(2));
			Await.until("replica " + (master + 1) + " took over", timeout, () -> {
				RedisCommands<String, String> sync = connection.sync();
				return sync.info("replication").contains("role:master")
						&& sync.clusterInfo().contains("cluster_state:ok");
			});
		}
		finally {
			client.shutdown();
		}
	}

	private List<RedisTestServer> servers() {
		List<RedisTestServer> all = new ArrayList<>(this.nodes);
		all.addAll(this.replicas);
		return all;
	}

	@Override
	public void close() {
		this.connectionFactory.destroy();
		this.clientResources.forEach(ClientResources::shutdown);
		servers().forEach(RedisTestServer::close);
	}

}
