package io.github.sessiongate.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches a Redis server through {@code MONITOR} and counts the commands clients send
 * (each one a round trip) apart from those Lua scripts run.
 */
public final class RedisMonitor implements AutoCloseable {

	private static final String MARKER = "sessiongate-monitor-end";

	private static final Pattern LINE = Pattern.compile("^\\+[0-9.]+ \\[\\d+ ([^\\]]+)\\] \"([^\"]+)\"");

	private final Socket socket;

	private final Map<String, Long> sent = new TreeMap<>();

	private final Map<String, Long> inScripts = new TreeMap<>();

	private final CountDownLatch marker = new CountDownLatch(1);

	private RedisMonitor(String host, int port) throws IOException {
		this.socket = new Socket();
		this.socket.connect(new InetSocketAddress(host, port), 5_000);
		OutputStream out = this.socket.getOutputStream();
		out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		BufferedReader in = new BufferedReader(
				new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
		if (!"+OK".equals(in.readLine())) {
			throw new IOException("MONITOR refused");
		}
		Thread reader = new Thread(() -> read(in), "redis-monitor");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts watching.
	 * @param redis the server
	 * @return the monitor; {@link #stop} it to read the counts
	 */
	public static RedisMonitor start(RedisTestServer redis) {
		try {
			return new RedisMonitor(redis.host(), redis.port());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void read(BufferedReader in) {
		try {
			String line;
			while ((line = in.readLine()) != null) {
				Matcher matcher = LINE.matcher(line);
				if (!matcher.find()) {
					continue;
				}
				String command = matcher.group(2).toLowerCase(Locale.ROOT);
				if (command.equals("echo") && line.contains(MARKER)) {
					this.marker.countDown();
					return;
				}
				if (command.equals("info") || command.equals("hello") || command.equals("client")) {
					continue;
				}
				synchronized (this) {
					(matcher.group(1).equals("lua") ? this.inScripts : this.sent).merge(command, 1L, Long::sum);
				}
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	/**
	 * Waits until every command sent before this call has been seen, then stops.
	 * @param redis the same server, to send the end marker through another connection
	 */
	public void stop(RedisTestServer redis) {
		try (Socket client = new Socket(redis.host(), redis.port())) {
			String echo = "*2\r\n$4\r\nECHO\r\n$" + MARKER.length() + "\r\n" + MARKER + "\r\n";
			client.getOutputStream().write(echo.getBytes(StandardCharsets.US_ASCII));
			client.getOutputStream().flush();
			client.getInputStream().read();
			if (!this.marker.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("MONITOR did not deliver the end marker");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			close();
		}
	}

	/**
	 * Commands clients sent, by name.
	 * @return name to count
	 */
	public synchronized Map<String, Long> sent() {
		return new TreeMap<>(this.sent);
	}

	/**
	 * Commands Lua scripts ran, by name.
	 * @return name to count
	 */
	public synchronized Map<String, Long> inScripts() {
		return new TreeMap<>(this.inScripts);
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
