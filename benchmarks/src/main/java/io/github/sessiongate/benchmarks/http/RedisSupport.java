package io.github.sessiongate.benchmarks.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.RedisSessionRepository;
import redis.embedded.RedisServer;

/**
 * The Redis the HTTP benchmark talks to: the {@code redis-server} binary shipped in the
 * {@code embedded-redis} jar on a random loopback port, or an external server named by
 * {@code SESSIONGATE_REDIS_URL}. Also reads {@code INFO commandstats} and
 * {@code INFO cpu}, and can watch {@code MONITOR} to tell commands sent by clients (round
 * trips) from commands run inside Lua scripts.
 */
final class RedisSupport implements AutoCloseable {

	private static final Pattern COMMAND_STAT = Pattern.compile("cmdstat_([a-z0-9|_\\-]+):calls=(\\d+),usec=(\\d+)");

	private static final Pattern CPU = Pattern.compile("(?m)^used_cpu_(?:user|sys):([0-9.]+)\\s*$");

	private static final Pattern MONITOR_LINE = Pattern.compile("^\\+[0-9.]+ \\[\\d+ ([^\\]]+)\\] \"([^\"]+)\"");

	private final @Nullable RedisServer server;

	private final String host;

	private final int port;

	private final LettuceConnectionFactory connectionFactory;

	private final RedisClient statsClient;

	private final StatefulRedisConnection<String, String> statsConnection;

	private RedisSupport(@Nullable RedisServer server, String host, int port) {
		this.server = server;
		this.host = host;
		this.port = port;
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.statsClient = RedisClient.create("redis://" + host + ":" + port);
		this.statsConnection = this.statsClient.connect();
	}

	static RedisSupport start() throws IOException {
		String url = System.getenv("SESSIONGATE_REDIS_URL");
		if (url != null && !url.isBlank()) {
			URI uri = URI.create(url);
			return new RedisSupport(null, uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379);
		}
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
		server.start();
		return new RedisSupport(server, "127.0.0.1", port);
	}

	LettuceConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * A Spring Session repository on this Redis.
	 * @param namespace the key namespace, distinct per variant
	 * @return the repository
	 */
	RedisSessionRepository sessionRepository(String namespace) {
		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setConnectionFactory(this.connectionFactory);
		template.setKeySerializer(RedisSerializer.string());
		template.setHashKeySerializer(RedisSerializer.string());
		template.afterPropertiesSet();
		RedisSessionRepository repository = new RedisSessionRepository(template);
		repository.setRedisKeyNamespace(namespace);
		return repository;
	}

	/**
	 * Calls and time per command since the server started ({@code INFO commandstats}),
	 * without the {@code INFO} calls themselves.
	 * @return command name (as {@code INFO} spells it, e.g. {@code client|setname}) to
	 * its counters
	 */
	Map<String, CommandStat> commandStats() {
		String info = this.statsConnection.sync().info("commandstats");
		Map<String, CommandStat> stats = new TreeMap<>();
		Matcher matcher = COMMAND_STAT.matcher(info);
		while (matcher.find()) {
			if (!matcher.group(1).equals("info")) {
				stats.put(matcher.group(1),
						new CommandStat(Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3))));
			}
		}
		return stats;
	}

	/**
	 * CPU time the Redis process has used since it started ({@code used_cpu_user} plus
	 * {@code used_cpu_sys} of {@code INFO cpu}): commands, network I/O and housekeeping.
	 * @return seconds
	 */
	double cpuSeconds() {
		String info = this.statsConnection.sync().info("cpu");
		Matcher matcher = CPU.matcher(info);
		double seconds = 0;
		int found = 0;
		while (matcher.find()) {
			seconds += Double.parseDouble(matcher.group(1));
			found++;
		}
		if (found != 2) {
			throw new IllegalStateException("INFO cpu without used_cpu_user and used_cpu_sys: " + info);
		}
		return seconds;
	}

	/**
	 * Starts watching every command the server executes.
	 * @return the running census; close it to stop
	 * @throws IOException if the connection fails
	 */
	Census census() throws IOException {
		return new Census(this.host, this.port);
	}

	/**
	 * Waits until a census has seen every command executed so far (it sends a marker and
	 * waits for it to come back through {@code MONITOR}), then stops it.
	 * @param census the census
	 * @throws IOException if the census does not see the marker in time
	 */
	void finish(Census census) throws IOException {
		this.statsConnection.sync().echo(Census.MARKER);
		try {
			if (!census.marker.await(10, TimeUnit.SECONDS)) {
				throw new IOException("MONITOR did not deliver the end marker");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		finally {
			census.close();
		}
	}

	@Override
	public void close() throws IOException {
		this.statsConnection.close();
		this.statsClient.shutdown();
		this.connectionFactory.destroy();
		if (this.server != null) {
			this.server.stop();
		}
	}

	/**
	 * The counters of one command in {@code INFO commandstats}.
	 *
	 * @param calls how often it ran, by clients or inside scripts
	 * @param usec microseconds spent running it; for {@code EVALSHA} and the like this
	 * includes the commands the script ran
	 */
	record CommandStat(long calls, long usec) {
	}

	/**
	 * Counts executed commands through {@code MONITOR}: those sent by clients (each one a
	 * network round trip) apart from those a Lua script ran. {@code MONITOR} slows Redis
	 * down, so the census runs apart from the timed rounds.
	 */
	static final class Census implements AutoCloseable {

		static final String MARKER = "sessiongate-census-end";

		final CountDownLatch marker = new CountDownLatch(1);

		private final Socket socket;

		private final Thread reader;

		private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();

		private final Map<String, LongAdder> inScripts = new ConcurrentHashMap<>();

		Census(String host, int port) throws IOException {
			this.socket = new Socket();
			this.socket.connect(new InetSocketAddress(host, port), 5_000);
			OutputStream out = this.socket.getOutputStream();
			out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
			String ok = in.readLine();
			if (!"+OK".equals(ok)) {
				throw new IOException("MONITOR answered " + ok);
			}
			this.reader = new Thread(() -> read(in), "redis-monitor");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		private void read(BufferedReader in) {
			try {
				String line;
				while ((line = in.readLine()) != null) {
					Matcher matcher = MONITOR_LINE.matcher(line);
					if (matcher.find()) {
						String command = matcher.group(2).toLowerCase(Locale.ROOT);
						if (command.equals("echo") && line.contains(MARKER)) {
							this.marker.countDown();
							continue;
						}
						if (command.equals("info") || command.equals("hello") || command.equals("client")) {
							continue;
						}
						Map<String, LongAdder> target = matcher.group(1).equals("lua") ? this.inScripts : this.sent;
						target.computeIfAbsent(command, (key) -> new LongAdder()).increment();
					}
				}
			}
			catch (IOException ex) {
				// the socket was closed: the census is over
			}
		}

		Map<String, Long> sent() {
			return snapshot(this.sent);
		}

		Map<String, Long> inScripts() {
			return snapshot(this.inScripts);
		}

		private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
			Map<String, Long> result = new TreeMap<>();
			counts.forEach((command, count) -> result.put(command, count.sum()));
			return result;
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
			try {
				this.reader.join(2_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
