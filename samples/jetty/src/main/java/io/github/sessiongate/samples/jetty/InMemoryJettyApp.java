package io.github.sessiongate.samples.jetty;

import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.session.MapSessionRepository;

/**
 * The plain Jetty guide (docs/guide-jetty.md) as one runnable app: Jetty 12, sessions in
 * memory, SessionGate as the one filter. Run it with
 * {@code ./mvnw -pl samples/jetty -am test-compile exec:java} and open
 * http://localhost:8080/whoami.
 */
public final class InMemoryJettyApp {

	private static final Logger log = LoggerFactory.getLogger(InMemoryJettyApp.class);

	private InMemoryJettyApp() {
	}

	public static void main(String[] args) throws Exception {
		Server server = start(8080, new SimpleMeterRegistry());
		log.info("Listening on {}", server.getURI());
		server.join();
	}

	/**
	 * Builds the gate and starts Jetty.
	 * @param port the port, 0 for any free one
	 * @param meterRegistry where the gate's meters go
	 * @return the started server
	 * @throws Exception if Jetty does not start
	 */
	public static Server start(int port, MeterRegistry meterRegistry) throws Exception {
		SessionGate gate = SessionGate.builder(new MapSessionRepository(new ConcurrentHashMap<>()))
				.creationPolicy(CreationPolicy.ALWAYS)
				.limits(SessionLimits.builder()
						.maxConcurrentRequestsPerSession(4)      // 429 beyond that
						.maxActiveRequests(200)                  // 503 beyond that, per node
						.rate(new RateLimit(20, Duration.ofSeconds(10)))   // bursts of 20, 2 req/s sustained
						.retryAfter(Duration.ofSeconds(2))
						.build())
				.excludedPaths("/health", "/static/**")
				.trustedProxies("10.0.0.0/8")                    // X-Forwarded-For believed only from these
				.listener(event -> log.debug("{}", event))
				.build();
		new SessionGateMetrics(gate).bindTo(meterRegistry);     // optional, Micrometer

		Server server = new Server(port);
		ServletContextHandler context = new ServletContextHandler();
		context.addFilter(new FilterHolder(gate.filter()), "/*", EnumSet.allOf(DispatcherType.class));
		context.addServlet(new ServletHolder(new SampleServlet(gate)), "/*");
		server.setHandler(context);
		server.addBean(gate);          // closes the gate (stops the sweeper) when Jetty stops
		server.start();
		return server;
	}

}
