package io.github.sessiongate.benchmarks.http;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP/1.1 load generator meant to run in its own JVM (the benchmark starts
 * it as a child process and drives it through stdin/stdout), so its work is not done by
 * the server's JVM. Each connection is one keep-alive socket driven by one thread: send a
 * request, read the whole response, record the latency, repeat. Each connection cycles
 * through its own sessions (cookies obtained once, on first use of a path).
 *
 * <p>
 * Commands, one per line: <pre>
 * run &lt;port&gt; &lt;path&gt; &lt;connections&gt; &lt;sessionsPerConnection&gt; &lt;durationMillis&gt; &lt;maxRequests&gt;
 * quit
 * </pre> and each {@code run} answers one line: <pre>
 * ok &lt;requests&gt; &lt;errors&gt; &lt;elapsedNanos&gt; &lt;p50Nanos&gt; &lt;p90Nanos&gt; &lt;p99Nanos&gt; &lt;maxNanos&gt;
 * </pre> Only loopback is ever contacted; every run is bounded in time and in requests,
 * and the client exits when its parent closes stdin.
 */
public final class LoadClient {

	private static final byte[] CRLF = { '\r', '\n' };

	private final Map<String, String[][]> cookies = new HashMap<>();

	private LoadClient() {
	}

	public static void main(String[] args) throws IOException {
		LoadClient client = new LoadClient();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
		String line;
		while ((line = in.readLine()) != null) {
			String[] words = line.trim().split("\\s+");
			if (words[0].equals("quit")) {
				break;
			}
			try {
				if (!words[0].equals("run") || words.length != 7) {
					throw new IllegalArgumentException("unknown command: " + line);
				}
				Result result = client.run(Integer.parseInt(words[1]), words[2], Integer.parseInt(words[3]),
						Integer.parseInt(words[4]), Long.parseLong(words[5]), Long.parseLong(words[6]));
				out.println(result.toLine());
			}
			catch (Exception ex) {
				out.println("error " + ex.toString().replace('\n', ' '));
			}
		}
	}

	Result run(int port, String path, int connections, int sessionsPerConnection, long durationMillis, long maxRequests)
			throws Exception {
		if (connections < 1 || connections > 256 || sessionsPerConnection < 1 || durationMillis < 1
				|| durationMillis > 600_000 || maxRequests < 1) {
			throw new IllegalArgumentException("out of bounds");
		}
		String[][] sessionCookies = this.cookies.get(path);
		if (sessionCookies == null || sessionCookies.length != connections) {
			sessionCookies = createSessions(port, path, connections, sessionsPerConnection);
			this.cookies.put(path, sessionCookies);
		}
		AtomicLong budget = new AtomicLong(maxRequests);
		long start = System.nanoTime();
		long deadline = start + durationMillis * 1_000_000L;
		Worker[] workers = new Worker[connections];
		Thread[] threads = new Thread[connections];
		for (int i = 0; i < connections; i++) {
			workers[i] = new Worker(port, path, i, sessionCookies[i], budget, deadline);
			threads[i] = new Thread(workers[i], "load-" + i);
			threads[i].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		long elapsed = System.nanoTime() - start;
		long requests = 0;
		long errors = 0;
		int latencyCount = 0;
		for (Worker worker : workers) {
			if (worker.failure != null) {
				throw worker.failure;
			}
			requests += worker.requests;
			errors += worker.errors;
			latencyCount += worker.latencyCount;
		}
		long[] latencies = new long[latencyCount];
		int offset = 0;
		for (Worker worker : workers) {
			System.arraycopy(worker.latencies, 0, latencies, offset, worker.latencyCount);
			offset += worker.latencyCount;
		}
		Arrays.sort(latencies);
		return new Result(requests, errors, elapsed, percentile(latencies, 0.50), percentile(latencies, 0.90),
				percentile(latencies, 0.99), (latencies.length > 0) ? latencies[latencies.length - 1] : 0);
	}

	private static long percentile(long[] sorted, double fraction) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(fraction * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	/**
	 * Asks the server for a session per (connection, slot): {@code <path>?create} makes
	 * the handler create one; the cookie is kept if the variant sets one.
	 */
	private static String[][] createSessions(int port, String path, int connections, int sessionsPerConnection)
			throws IOException {
		String[][] result = new String[connections][sessionsPerConnection];
		try (Connection connection = new Connection(port)) {
			for (int c = 0; c < connections; c++) {
				for (int s = 0; s < sessionsPerConnection; s++) {
					Response response = connection.exchange(request(port, path + "?create", c, null));
					if (response.status != 200) {
						throw new IOException("creating a session on " + path + " answered " + response.status);
					}
					result[c][s] = response.sessionCookie;
				}
			}
		}
		return result;
	}

	static byte[] request(int port, String target, int connection, String cookie) {
		StringBuilder request = new StringBuilder(256);
		request.append("GET ").append(target).append(" HTTP/1.1\r\n");
		request.append("Host: 127.0.0.1:").append(port).append("\r\n");
		request.append("User-Agent: sessiongate-bench/1.0\r\n");
		request.append("X-Forwarded-For: 203.0.113.").append(connection + 1).append("\r\n");
		request.append("X-Tenant: acme\r\n");
		request.append("X-Device: device-").append(connection + 1).append("\r\n");
		request.append("X-User: user-").append(connection + 1).append("\r\n");
		if (cookie != null) {
			request.append("Cookie: ").append(cookie).append("\r\n");
		}
		request.append("\r\n");
		return request.toString().getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * One connection's loop.
	 */
	private static final class Worker implements Runnable {

		private final int port;

		private final byte[][] messages;

		private final AtomicLong budget;

		private final long deadline;

		long[] latencies = new long[1024];

		int latencyCount;

		long requests;

		long errors;

		volatile Exception failure;

		Worker(int port, String path, int index, String[] cookies, AtomicLong budget, long deadline) {
			this.port = port;
			this.messages = new byte[cookies.length][];
			for (int i = 0; i < cookies.length; i++) {
				this.messages[i] = request(port, path, index, cookies[i]);
			}
			this.budget = budget;
			this.deadline = deadline;
		}

		@Override
		public void run() {
			Connection connection = null;
			try {
				int slot = 0;
				while (System.nanoTime() < this.deadline && this.budget.getAndDecrement() > 0) {
					if (connection == null) {
						connection = new Connection(this.port);
					}
					long start = System.nanoTime();
					Response response = connection.exchange(this.messages[slot]);
					long latency = System.nanoTime() - start;
					slot = (slot + 1) % this.messages.length;
					this.requests++;
					if (response.status != 200) {
						this.errors++;
					}
					if (this.latencyCount == this.latencies.length) {
						this.latencies = Arrays.copyOf(this.latencies, this.latencies.length * 2);
					}
					this.latencies[this.latencyCount++] = latency;
					if (response.close) {
						connection.close();
						connection = null;
					}
				}
			}
			catch (Exception ex) {
				this.failure = ex;
			}
			finally {
				if (connection != null) {
					connection.close();
				}
			}
		}

	}

	/**
	 * A keep-alive connection to the server on loopback.
	 */
	static final class Connection implements AutoCloseable {

		private final Socket socket;

		private final OutputStream out;

		private final InputStream in;

		private final byte[] buffer = new byte[16 * 1024];

		private int position;

		private int limit;

		Connection(int port) throws IOException {
			this.socket = new Socket();
			this.socket.setTcpNoDelay(true);
			this.socket.setSoTimeout(10_000);
			this.socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
			this.out = this.socket.getOutputStream();
			this.in = this.socket.getInputStream();
		}

		Response exchange(byte[] request) throws IOException {
			this.out.write(request);
			this.out.flush();
			String statusLine = readLine();
			String[] status = statusLine.split(" ", 3);
			if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
				throw new IOException("bad status line: " + statusLine);
			}
			Response response = new Response();
			response.status = Integer.parseInt(status[1]);
			long contentLength = -1;
			boolean chunked = false;
			String line;
			while (!(line = readLine()).isEmpty()) {
				int colon = line.indexOf(':');
				if (colon <= 0) {
					continue;
				}
				String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
				String value = line.substring(colon + 1).trim();
				switch (name) {
					case "content-length" -> contentLength = Long.parseLong(value);
					case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
					case "connection" -> response.close = value.equalsIgnoreCase("close");
					case "set-cookie" -> {
						if (value.startsWith("SESSION=")) {
							int end = value.indexOf(';');
							response.sessionCookie = (end > 0) ? value.substring(0, end) : value;
						}
					}
					default -> {
					}
				}
			}
			if (chunked) {
				long size;
				while ((size = Long.parseLong(readLine().split(";", 2)[0].trim(), 16)) > 0) {
					skip(size);
					readLine();
				}
				while (!readLine().isEmpty()) {
					// trailers
				}
			}
			else if (contentLength >= 0) {
				skip(contentLength);
			}
			else {
				throw new IOException("response without length");
			}
			return response;
		}

		private String readLine() throws IOException {
			StringBuilder line = new StringBuilder(64);
			while (true) {
				int b = read();
				if (b == '\n') {
					int length = line.length();
					if (length > 0 && line.charAt(length - 1) == '\r') {
						line.setLength(length - 1);
					}
					return line.toString();
				}
				line.append((char) b);
			}
		}

		private void skip(long count) throws IOException {
			for (long i = 0; i < count; i++) {
				read();
			}
		}

		private int read() throws IOException {
			if (this.position == this.limit) {
				this.limit = this.in.read(this.buffer);
				this.position = 0;
				if (this.limit <= 0) {
					this.limit = 0;
					throw new EOFException("connection closed by server");
				}
			}
			return this.buffer[this.position++] & 0xff;
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing: nothing left to do
			}
		}

	}

	/**
	 * What the client needs from a response.
	 */
	static final class Response {

		int status;

		boolean close;

		String sessionCookie;

	}

	/**
	 * One run's outcome, latencies in nanoseconds.
	 *
	 * @param requests completed requests
	 * @param errors responses other than 200
	 * @param elapsedNanos wall time of the run
	 * @param p50 median latency
	 * @param p90 90th percentile latency
	 * @param p99 99th percentile latency
	 * @param max the slowest request
	 */
	record Result(long requests, long errors, long elapsedNanos, long p50, long p90, long p99, long max) {

		double requestsPerSecond() {
			return this.requests * 1e9 / this.elapsedNanos;
		}

		String toLine() {
			return "ok " + this.requests + " " + this.errors + " " + this.elapsedNanos + " " + this.p50 + " " + this.p90
					+ " " + this.p99 + " " + this.max;
		}

		static Result parse(String line) {
			String[] words = line.split(" ");
			if (!words[0].equals("ok") || words.length != 8) {
				throw new IllegalStateException("load client failed: " + line);
			}
			long[] values = new long[7];
			for (int i = 0; i < 7; i++) {
				values[i] = Long.parseLong(words[i + 1]);
			}
			return new Result(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
		}

	}

}
