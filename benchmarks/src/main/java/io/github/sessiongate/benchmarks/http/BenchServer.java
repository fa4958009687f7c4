package io.github.sessiongate.benchmarks.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One Jetty 12 (EE11) server on a random loopback port serving every variant: the same
 * trivial servlet on {@code /*}, each variant's filter mapped to the variant's path only,
 * so all variants share the server, its threads, its JIT state and the handler.
 */
final class BenchServer implements AutoCloseable {

	private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);

	private final Server server;

	private final int port;

	private BenchServer(Server server, int port) {
		this.server = server;
		this.port = port;
	}

	static BenchServer start(List<Variant> variants) throws Exception {
		QueuedThreadPool threads = new QueuedThreadPool(200, 8);
		threads.setName("bench-jetty");
		Server server = new Server(threads);
		ServerConnector connector = new ServerConnector(server);
		connector.setHost("127.0.0.1");
		connector.setPort(0);
		server.addConnector(connector);
		ServletContextHandler context = new ServletContextHandler();
		context.setContextPath("/");
		for (Variant variant : variants) {
			if (variant.filter() != null) {
				context.addFilter(new FilterHolder(variant.filter()), variant.path() + "*",
						EnumSet.allOf(DispatcherType.class));
			}
		}
		context.addServlet(new ServletHolder(new TrivialServlet()), "/*");
		server.setHandler(context);
		server.start();
		return new BenchServer(server, connector.getLocalPort());
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() throws Exception {
		this.server.stop();
	}

	/**
	 * The application: reads the session like a typical page does ({@code ?create} makes
	 * one, for the client's first request), answers {@code ok}.
	 */
	static final class TrivialServlet extends HttpServlet {

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			if ("create".equals(request.getQueryString())) {
				try {
					request.getSession(true);
				}
				catch (IllegalStateException ex) {
					// the variant without Spring Session has no session support: no
					// cookie
				}
			}
			else {
				request.getSession(false);
			}
			response.setContentType("text/plain");
			response.setContentLength(BODY.length);
			response.getOutputStream().write(BODY);
		}

	}

}
