package io.github.sessiongate.sample.jetty;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionGateAdmin;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.session.MapSessionRepository;

/**
 * A plain Jetty 12 app (no Spring Boot) with SessionGate as its one filter. Run it with
 * {@code ./mvnw -pl sample-webapp -am test-compile exec:java} and open
 * http://localhost:8080.
 *
 * <p>
 * Each browser gets a session; {@code /api/context} shows the request's
 * {@link SessionContext}, {@code /api/stats} the gate's view, {@code /api/slow?ms=} holds
 * a request so the per-session limit of two concurrent requests can be seen,
 * {@code /api/fail} counts an error.
 *
 * @author SessionGate team
 */
public final class PlainJettyDemo {

	private PlainJettyDemo() {
	}

	/**
	 * Starts the demo.
	 * @param args unused; the port comes from {@code -Dport=} or {@code PORT} (default
	 * 8080)
	 * @throws Exception if Jetty does not start
	 */
	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(System.getProperty("port", System.getenv().getOrDefault("PORT", "8080")));
		Server server = start(port);
		int actualPort = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
		System.out.println("SessionGate plain-Jetty demo running on http://localhost:" + actualPort);
		server.join();
	}

	/**
	 * Builds and starts the demo server.
	 * @param port the port, 0 for any free one
	 * @return the started server
	 * @throws Exception if Jetty does not start
	 */
	public static Server start(int port) throws Exception {
		SessionGate gate = SessionGate.builder(new MapSessionRepository(new ConcurrentHashMap<>()))
			.creationPolicy(CreationPolicy.ALWAYS)
			.limits(SessionLimits.builder().maxConcurrentRequestsPerSession(2).maxActiveRequests(100).build())
			.excludedPaths("/health")
			.tenantHeader("X-Tenant-Id")
			.deviceHeader("X-Device-Id")
			.build();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new SessionGateMetrics(gate).bindTo(registry);

		Server server = new Server();
		ServerConnector connector = new ServerConnector(server);
		connector.setPort(port);
		server.addConnector(connector);
		ServletContextHandler context = new ServletContextHandler();
		context.setContextPath("/");
		context.addFilter(new FilterHolder(gate.filter()), "/*", EnumSet.allOf(DispatcherType.class));
		context.addServlet(new ServletHolder(new DemoServlet(gate)), "/*");
		server.setHandler(context);
		server.addBean(gate);
		server.start();
		return server;
	}

	/**
	 * The demo's endpoints.
	 */
	static final class DemoServlet extends HttpServlet {

		private final transient SessionGate gate;

		DemoServlet(SessionGate gate) {
			this.gate = gate;
		}

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			String path = request.getRequestURI();
			switch (path) {
				case "/" -> html(response);
				case "/health" -> text(response, "UP");
				case "/api/context" -> json(response, contextJson(SessionContextHolder.requireContext()));
				case "/api/stats" -> json(response, statsJson(this.gate.admin()));
				case "/api/slow" -> {
					long ms = Math.min(10_000, Math.max(0, parse(request.getParameter("ms"), 1000)));
					sleep(ms);
					json(response, "{\"sleptMs\":" + ms + "}");
				}
				case "/api/fail" -> throw new IllegalStateException("demo failure");
				default -> response.sendError(404);
			}
		}

		private static long parse(String value, long fallback) {
			try {
				return (value != null) ? Long.parseLong(value) : fallback;
			}
			catch (NumberFormatException ex) {
				return fallback;
			}
		}

		private static void sleep(long ms) {
			try {
				Thread.sleep(ms);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static String contextJson(SessionContext context) {
			// the raw id is a credential: only its short reference leaves the server
			return DemoJson.object(Map.of("session", SessionIds.shortForm(context.sessionId()), "userId",
					String.valueOf(context.userId()), "tenant", String.valueOf(context.tenant()), "deviceId",
					String.valueOf(context.deviceId()), "clientIp", context.clientIp(), "userAgent",
					String.valueOf(context.userAgent()), "creationTime", context.creationTime().toString()));
		}

		private static String statsJson(SessionGateAdmin admin) {
			SessionGateAdmin.Summary summary = admin.summary();
			StringBuilder json = new StringBuilder("{\"activeSessions\":").append(summary.activeSessions())
				.append(",\"activeRequests\":")
				.append(summary.activeRequests())
				.append(",\"rejections\":{");
			boolean first = true;
			for (Limit limit : Limit.values()) {
				json.append(first ? "" : ",")
					.append('"')
					.append(limit.tag())
					.append("\":")
					.append(summary.rejectionsByLimit().get(limit));
				first = false;
			}
			json.append("},\"sessions\":[");
			List<SessionStats> sessions = admin.sessionsWithStatus(SessionStatus.ACTIVE, 50);
			for (int i = 0; i < sessions.size(); i++) {
				SessionStats stats = sessions.get(i);
				json.append((i > 0) ? "," : "")
					.append(DemoJson.object(Map.of("session", SessionIds.shortForm(stats.sessionId()), "status",
							stats.status().name().toLowerCase(Locale.ROOT), "activeRequests",
							Integer.toString(stats.activeRequests()), "requests", Long.toString(stats.requestCount()),
							"errors", Long.toString(stats.errorCount()), "rejections",
							Long.toString(stats.rejectionCount()))));
			}
			return json.append("]}").toString();
		}

		private static void json(HttpServletResponse response, String body) throws IOException {
			response.setContentType("application/json;charset=utf-8");
			response.setHeader("Cache-Control", "no-store");
			response.getWriter().print(body);
		}

		private static void text(HttpServletResponse response, String body) throws IOException {
			response.setContentType("text/plain;charset=utf-8");
			response.getWriter().print(body);
		}

		private static void html(HttpServletResponse response) throws IOException {
			response.setContentType("text/html;charset=utf-8");
			try (var in = PlainJettyDemo.class.getResourceAsStream("/plain-jetty-demo.html")) {
				if (in == null) {
					throw new IllegalStateException("plain-jetty-demo.html is missing from the classpath");
				}
				in.transferTo(response.getOutputStream());
			}
		}

	}

}
