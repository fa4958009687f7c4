package io.github.sessiongate.samples.jetty;

import java.time.Duration;
import java.util.EnumSet;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.redis.SessionGateRedisSessionRepository;
import io.github.sessiongate.store.GuardedSessionRepository;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * Plain Jetty with sessions and the gate's ledger in Redis, so several nodes share
 * sessions and limits. Run it with
 * {@code ./mvnw -pl samples/jetty-redis -am test-compile exec:java -Dexec.args=redis://localhost:6379}.
 */
public final class RedisJettyApp {

	private static final Logger log = LoggerFactory.getLogger(RedisJettyApp.class);

	private RedisJettyApp() {
	}

	public static void main(String[] args) throws Exception {
		String redisUri = (args.length > 0) ? args[0] : "redis://localhost:6379";
		Server server = start(8080, redisUri);
		log.info("Listening on {}", server.getURI());
		server.join();
	}

	/**
	 * Connects to Redis, builds the gate and starts Jetty.
	 * @param port the port, 0 for any free one
	 * @param redisUri e.g. {@code redis://localhost:6379}
	 * @return the started server
	 * @throws Exception if Jetty does not start
	 */
	public static Server start(int port, String redisUri) throws Exception {
		Server server = new Server(port);
		ServletContextHandler context = new ServletContextHandler();
		LettuceConnectionFactory redis = RedisSessionLedger.connectionFactory(redisUri, Duration.ofMillis(500));

		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setConnectionFactory(redis);
		template.setKeySerializer(new StringRedisSerializer());
		template.setHashKeySerializer(new StringRedisSerializer());
		template.afterPropertiesSet();

		RedisSessionLedger ledger = RedisSessionLedger.builder(redis)
				.keyPrefix("myapp:sessiongate:")          // default "sessiongate:"
				.historyRetention(Duration.ofMinutes(30))
				.sweepInterval(Duration.ofSeconds(30))    // the gate's sweep interval
				.build();

		SessionRepository<?> sessions = GuardedSessionRepository.of(new RedisSessionRepository(template),
				ledger.circuitBreaker(), StoreFailurePolicy.ALLOW);   // same policy as the gate's

		SessionGate gate = SessionGate.builder(sessions)
				.ledger(ledger)
				.limits(SessionLimits.builder().maxConcurrentRequestsPerSession(4).maxSessionsPerUser(3).build())
				.storeFailurePolicy(StoreFailurePolicy.ALLOW)
				.build();

		context.addFilter(new FilterHolder(gate.filter()), "/*", EnumSet.allOf(DispatcherType.class));
		return serve(server, context, gate, redis);
	}

	/**
	 * The same app with SessionGate's own Redis session repository: sessions are stored
	 * next to the ledger's records, and a request costs two Redis round trips in all.
	 * @param port the port, 0 for any free one
	 * @param redisUri e.g. {@code redis://localhost:6379}
	 * @return the started server
	 * @throws Exception if Jetty does not start
	 */
	public static Server startWithSessionGateRepository(int port, String redisUri) throws Exception {
		Server server = new Server(port);
		ServletContextHandler context = new ServletContextHandler();
		LettuceConnectionFactory redis = RedisSessionLedger.connectionFactory(redisUri, Duration.ofMillis(500));

		RedisSessionLedger ledger = RedisSessionLedger.builder(redis)
				.keyPrefix("myapp:sessiongate:")
				.build();

		SessionRepository<?> sessions = GuardedSessionRepository.of(
				SessionGateRedisSessionRepository.builder(ledger)
						.defaultMaxInactiveInterval(Duration.ofMinutes(30))
						.build(),
				ledger.circuitBreaker(), StoreFailurePolicy.ALLOW);

		SessionGate gate = SessionGate.builder(sessions)
				.ledger(ledger)
				.limits(SessionLimits.builder().maxConcurrentRequestsPerSession(4).maxSessionsPerUser(3).build())
				.storeFailurePolicy(StoreFailurePolicy.ALLOW)
				.build();

		context.addFilter(new FilterHolder(gate.filter()), "/*", EnumSet.allOf(DispatcherType.class));
		return serve(server, context, gate, redis);
	}

	private static Server serve(Server server, ServletContextHandler context, SessionGate gate,
			LettuceConnectionFactory redis) throws Exception {
		context.addServlet(new ServletHolder(new SampleServlet(gate)), "/*");
		server.setHandler(context);
		server.addBean(gate);
		server.addEventListener(new LifeCycle.Listener() {
			@Override
			public void lifeCycleStopped(LifeCycle event) {
				redis.destroy();   // after the gate: close the Redis connections last
			}
		});
		server.start();
		return server;
	}

}
