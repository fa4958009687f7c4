package io.github.sessiongate.testsupport;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Reads how often a Redis server ran each command ({@code INFO commandstats}); counts
 * include the commands Lua scripts run.
 */
public final class RedisCommandStats {

	private RedisCommandStats() {
	}

	/**
	 * Calls per command since the server started, without the {@code INFO} calls
	 * themselves.
	 * @param connectionFactory a standalone connection factory
	 * @return command name to calls
	 */
	public static Map<String, Long> calls(RedisConnectionFactory connectionFactory) {
		Properties stats;
		try (RedisConnection connection = connectionFactory.getConnection()) {
			stats = connection.serverCommands().info("commandstats");
		}
		Map<String, Long> calls = new TreeMap<>();
		for (String name : stats.stringPropertyNames()) {
			if (name.startsWith("cmdstat_") && !name.equals("cmdstat_info")) {
				String value = stats.getProperty(name);
				int from = value.indexOf("calls=") + "calls=".length();
				calls.put(name.substring("cmdstat_".length()),
						Long.parseLong(value.substring(from, value.indexOf(',', from))));
			}
		}
		return calls;
	}

	/**
	 * The commands whose call count grew between two readings, with the growth.
	 * @param before the earlier reading
	 * @param after the later reading
	 * @return command name to added calls
	 */
	public static Map<String, Long> grown(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> grown = new TreeMap<>();
		after.forEach((name, calls) -> {
			long delta = calls - before.getOrDefault(name, 0L);
			if (delta > 0) {
				grown.put(name, delta);
			}
		});
		return grown;
	}

}
