package io.github.sessiongate.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A local Redis Cluster of three masters started from the test {@code redis-server}
 * binary, slots assigned evenly ({@code CLUSTER ADDSLOTS}, {@code CLUSTER MEET}), with a
 * cluster-aware connection factory.
 */
public final class RedisTestCluster implements AutoCloseable {

	private final List<RedisTestServer> nodes = new ArrayList<>();

	private final LettuceConnectionFactory connectionFactory;

	private RedisTestCluster() {
		for (int i = 0; i < 3; i++) {
			this.nodes.add(RedisTestServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					"--cluster-node-timeout", "2000"));
		}
		RedisClient client = RedisClient.create();
		try {
			List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
			for (RedisTestServer node : this.nodes) {
				connections.add(client.connect(RedisURI.create(node.host(), node.port())));
			}
			int[][] ranges = { { 0, 5460 }, { 5461, 10922 }, { 10923, 16383 } };
			for (int i = 0; i < 3; i++) {
				connections.get(i).sync().clusterAddSlots(IntStream.rangeClosed(ranges[i][0], ranges[i][1]).toArray());
			}
			for (int i = 1; i < 3; i++) {
				connections.get(0).sync().clusterMeet(this.nodes.get(i).host(), this.nodes.get(i).port());
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
		this.connectionFactory = newConnectionFactory();
	}

	/**
	 * Starts a cluster; close it to stop its servers.
	 * @return the running cluster
	 */
	public static RedisTestCluster start() {
		return new RedisTestCluster();
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
				this.nodes.stream().map((node) -> node.host() + ":" + node.port()).toList());
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
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

	@Override
	public void close() {
		this.connectionFactory.destroy();
		this.nodes.forEach(RedisTestServer::close);
	}

}
