package io.github.sessiongate.testsupport;

import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
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
 * A real Jetty 12 (EE11) server on a random loopback port for filter tests. <pre>{@code
 * try (JettyTestServer server = JettyTestServer.start(gate.filter(), (context) -> {
 *     context.addServlet(new ServletHolder(new HelloServlet()), "/hello");
 * })) {
 *     client.get(server.uri("/hello"));
 * }
 * }</pre>
 */
public final class JettyTestServer implements AutoCloseable {

	private final Server server;

	private final URI baseUri;

	private JettyTestServer(Server server, URI baseUri) {
		this.server = server;
		this.baseUri = baseUri;
	}

	/**
	 * Starts a server with a filter on {@code /*} for all dispatcher types.
	 * @param filter the filter (e.g. {@code gate.filter()}), or {@code null} for none
	 * @param servlets registers servlets on the context
	 * @return the started server
	 */
	public static JettyTestServer start(Filter filter, ServletSetup servlets) {
		QueuedThreadPool threads = new QueuedThreadPool(200, 8);
		threads.setName("jetty-test");
		Server server = new Server(threads);
		ServerConnector connector = new ServerConnector(server);
		connector.setHost("127.0.0.1");
		connector.setPort(0);
		server.addConnector(connector);
		ServletContextHandler context = new ServletContextHandler();
		context.setContextPath("/");
		if (filter != null) {
			context.addFilter(new FilterHolder(filter), "/*", EnumSet.allOf(DispatcherType.class));
		}
		try {
			servlets.register(context);
			server.setHandler(context);
			server.start();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Jetty did not start", ex);
		}
		return new JettyTestServer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
	}

	/**
	 * Adds a servlet to a context (convenience for lambdas).
	 * @param context the context
	 * @param path the path spec
	 * @param servlet the servlet
	 */
	public static void servlet(ServletContextHandler context, String path, HttpServlet servlet) {
		ServletHolder holder = new ServletHolder(servlet);
		holder.setAsyncSupported(true);
		context.addServlet(holder, path);
	}

	/**
	 * Adds a servlet given as a lambda to a context.
	 * @param context the context
	 * @param path the path spec
	 * @param handler what the servlet does for every method
	 */
	public static void servlet(ServletContextHandler context, String path, Handler handler) {
		servlet(context, path, new HttpServlet() {
			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
				handler.handle(request, response);
			}
		});
	}

	/**
	 * Resolves a path against the server.
	 * @param path e.g. {@code /hello?x=1}
	 * @return the absolute URI
	 */
	public URI uri(String path) {
		return this.baseUri.resolve(path);
	}

	public int port() {
		return this.baseUri.getPort();
	}

	@Override
	public void close() {
		try {
			this.server.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Jetty did not stop", ex);
		}
	}

	/**
	 * A servlet's work, as a lambda.
	 */
	@FunctionalInterface
	public interface Handler {

		void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;

	}

	/**
	 * Registers servlets on the test context.
	 */
	@FunctionalInterface
	public interface ServletSetup {

		void register(ServletContextHandler context) throws Exception;

	}

}
