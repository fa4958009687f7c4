package io.github.sessiongate.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.sessiongate.testsupport.RedisTestCluster;
import io.github.sessiongate.testsupport.RedisTestServer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two nodes of {@link SessionControlTestApplication} on Tomcat, sharing a real Redis
 * (standalone or a 3-master cluster) (Spring Session Data Redis's default, non-indexed
 * repository and SessionGate's Redis ledger).
 *
 * @author SessionGate team
 */
final class SessionControlNodes implements AutoCloseable {

	final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private final @Nullable RedisTestCluster cluster;

	/**
	 * Two nodes on the shared standalone Redis.
	 * @param maxSessionsPreventsLogin Spring Security's setting
	 */
	SessionControlNodes(boolean maxSessionsPreventsLogin) {
		this(maxSessionsPreventsLogin, null);
	}

	/**
	 * Two nodes on a Redis Cluster (closed with the nodes) or, when {@code null}, on the
	 * shared standalone Redis.
	 */
	SessionControlNodes(boolean maxSessionsPreventsLogin, @Nullable RedisTestCluster cluster, String... properties) {
		this.cluster = cluster;
		String namespace = "sc-" + UUID.randomUUID().toString().substring(0, 8);
		List<String> redis = new ArrayList<>();
		if (cluster != null) {
			redis.add("spring.data.redis.cluster.nodes=" + String.join(",",
					cluster.nodes().stream().map((node) -> node.host() + ":" + node.port()).toList()));
		}
		else {
			RedisTestServer shared = RedisTestServer.shared();
			redis.add("spring.data.redis.host=" + shared.host());
			redis.add("spring.data.redis.port=" + shared.port());
		}
		for (int i = 0; i < 2; i++) {
			this.nodes.add(new SpringApplicationBuilder(SessionControlTestApplication.class)
				.properties(redis.toArray(String[]::new))
				.properties("server.port=0", "spring.session.redis.namespace=" + namespace + ":sessions",
						"sessiongate.redis.key-prefix=" + namespace + ":gate:",
						"sessiongate.excluded-paths=/actuator/**",
						"management.endpoints.web.exposure.include=health,sessiongate,sessions",
						"test.max-sessions-prevents-login=" + maxSessionsPreventsLogin)
				.properties(properties)
				.run());
		}
	}

	ConfigurableApplicationContext node(int index) {
		return this.nodes.get(index);
	}

	/**
	 * A node's base URI.
	 * @param node the node index
	 * @return {@code http://localhost:port}
	 */
	URI uri(int node) {
		int port = ((WebServerApplicationContext) this.nodes.get(node)).getWebServer().getPort();
		return URI.create("http://localhost:" + port);
	}

	URI uri(int node, String path) {
		return uri(node).resolve(path);
	}

	@Override
	public void close() {
		this.nodes.forEach(ConfigurableApplicationContext::close);
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

}
