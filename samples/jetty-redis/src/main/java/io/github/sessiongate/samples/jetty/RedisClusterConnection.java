package io.github.sessiongate.samples.jetty;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A connection factory for a Redis Cluster in a plain servlet app, with the topology
 * refresh a failover needs (docs/guide-redis.md, "Failover: Lettuce must refresh the
 * cluster topology"): all adaptive triggers and a refresh every 5 s.
 *
 * @author SessionGate team
 */
public final class RedisClusterConnection {

	private RedisClusterConnection() {
	}

	/**
	 * Creates and starts a connection factory for a cluster.
	 * @param nodes seed nodes, e.g. {@code redis-1:6379}
	 * @return the started factory; the caller closes it ({@code destroy()})
	 */
	public static LettuceConnectionFactory connectionFactory(List<String> nodes) {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(Duration.ofMillis(500))
			.clientOptions(ClusterClientOptions.builder()
				.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
					.enableAllAdaptiveRefreshTriggers()
					.enablePeriodicRefresh(Duration.ofSeconds(5))
					.build())
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisClusterConfiguration(nodes), client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
