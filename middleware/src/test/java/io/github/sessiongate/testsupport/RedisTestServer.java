package io.github.sessiongate.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} for tests: the binary shipped inside the
 * {@code com.github.codemonstur:embedded-redis} jar, started on a free loopback port. No
 * Docker, no fakes. <pre>{@code
 * RedisTestServer redis = RedisTestServer.shared();   // one per test JVM
 * String uri = redis.uri();                           // redis://127.0.0.1:port
 * }</pre> {@link #shared()} uses the server named by the environment variable
 * {@code SESSIONGATE_REDIS_URL} instead, when it is set. Tests that stop and restart
 * Redis, or build a cluster, start their own servers with {@link #start(String...)}.
 */
public final class RedisTestServer implements AutoCloseable {

	/** Environment variable naming an external Redis for the shared server. */
	public static final String URL_VARIABLE = "SESSIONGATE_REDIS_URL";

	private static volatile RedisTestServer shared;

	private static volatile File binary;

	private final String host;

	private final int port;

	private final List<String> arguments;

	private final boolean external;

	private final Path directory;

	private volatile Process process;

	private RedisTestServer(String host, int port, List<String> arguments, boolean external, Path directory) {
		this.host = host;
		this.port = port;
		this.arguments = arguments;
		this.external = external;
		this.directory = directory;
	}

	/**
	 * The server the test JVM shares: started once (stopped when the JVM exits), or the
	 * external one named by {@value #URL_VARIABLE}.
	 * @return the shared server
	 */
	public static synchronized RedisTestServer shared() {
		if (shared == null) {
			String url = System.getenv(URL_VARIABLE);
			if (url != null && !url.isBlank()) {
				URI uri = URI.create(url);
				shared = new RedisTestServer(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379, List.of(), true,
						Path.of("."));
			}
			else {
				RedisTestServer server = start();
				Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-test-server-stop"));
				shared = server;
			}
		}
		return shared;
	}

	/**
	 * Starts a new server of its own on a free port.
	 * @param settings extra {@code redis-server} arguments, e.g.
	 * {@code "--cluster-enabled", "yes"}
	 * @return the started server; close it
	 */
	public static RedisTestServer start(String... settings) {
		int port = freePort();
		try {
			Path directory = Files.createTempDirectory("sessiongate-redis-" + port);
			List<String> arguments = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
					"--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", directory.toString()));
			arguments.addAll(List.of(settings));
			RedisTestServer server = new RedisTestServer("127.0.0.1", port, List.copyOf(arguments), false, directory);
			server.startProcess();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The server's URI.
	 * @return {@code redis://host:port}
	 */
	public String uri() {
		return "redis://" + this.host + ":" + this.port;
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	/**
	 * Whether this is an external server (it cannot be stopped or restarted).
	 * @return {@code true} for {@value #URL_VARIABLE}
	 */
	public boolean isExternal() {
		return this.external;
	}

	/**
	 * Stops the server (the process exits; its data is gone).
	 */
	public void stop() {
		if (this.external) {
			throw new IllegalStateException("an external Redis cannot be stopped by the tests");
		}
		Process running = this.process;
		if (running != null) {
			running.destroy();
			try {
				if (!running.waitFor(5, TimeUnit.SECONDS)) {
					running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	/**
	 * Freezes the server process ({@code SIGSTOP}): connections stay open, commands queue
	 * up unanswered, as when Redis stalls. {@link #resume()} lets it run on, and the
	 * queued commands then run.
	 */
	public void pause() {
		signal("STOP");
	}

	/**
	 * Lets a {@link #pause() paused} server run on ({@code SIGCONT}).
	 */
	public void resume() {
		signal("CONT");
	}

	/**
	 * Kills the server process at once ({@code SIGKILL}), as a crash would.
	 */
	public void kill() {
		signal("KILL");
		Process running = this.process;
		if (running != null) {
			try {
				running.waitFor(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	private void signal(String name) {
		if (this.external) {
			throw new IllegalStateException("an external Redis cannot be signalled by the tests");
		}
		Process running = this.process;
		if (running == null) {
			throw new IllegalStateException("redis-server is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(running.pid())).inheritIO().start();
			if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + name + " failed for redis-server " + running.pid());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts the server again on the same port, empty.
	 */
	public void restart() {
		stop();
		startProcess();
	}

	@Override
	public void close() {
		if (!this.external) {
			stop();
		}
	}

	private void startProcess() {
		List<String> command = new ArrayList<>();
		command.add(binary().getAbsolutePath());
		command.addAll(this.arguments);
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile());
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + command, ex);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!ping()) {
			if (System.nanoTime() > deadline || !this.process.isAlive()) {
				throw new IllegalStateException("redis-server did not start on port " + this.port + "; see "
						+ this.directory.resolve("redis.log"));
			}
			sleep(10);
		}
	}

	private boolean ping() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[5];
			int read = in.readNBytes(reply, 0, 5);
			return read == 5 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static synchronized File binary() {
		if (binary == null) {
			try {
				File file = ExecutableProvider.newJarResourceProvider().get();
				if (!file.canExecute() && !file.setExecutable(true)) {
					throw new IllegalStateException("Cannot make " + file + " executable");
				}
				binary = file;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot extract redis-server from the embedded-redis jar", ex);
			}
		}
		return binary;
	}

	/**
	 * A free port whose cluster bus port (port + 10000) is free too.
	 */
	private static int freePort() {
		for (int attempt = 0; attempt < 50; attempt++) {
			try (ServerSocket socket = new ServerSocket(0)) {
				int port = socket.getLocalPort();
				if (port < 55535 && isFree(port + 10000)) {
					return port;
				}
			}
			catch (IOException ex) {
				// try another
			}
		}
		throw new IllegalStateException("No free port found");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
