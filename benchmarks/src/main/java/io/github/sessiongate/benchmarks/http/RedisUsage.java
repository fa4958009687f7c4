package io.github.sessiongate.benchmarks.http;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one variant cost Redis over its timed rounds: calls and time per command
 * ({@code INFO commandstats}) and CPU of the Redis process ({@code INFO cpu}), summed
 * over the variant's rounds only (the variants take turns, so each round is read before
 * and after on its own).
 */
final class RedisUsage {

	/**
	 * Commands that run a script: their time includes that of the commands the script
	 * runs, which {@code INFO commandstats} also counts under their own names.
	 */
	static final Set<String> SCRIPT_COMMANDS = Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro");

	private final Map<String, Long> calls = new TreeMap<>();

	private final Map<String, Long> usec = new TreeMap<>();

	private double cpuSeconds;

	private long requests;

	/**
	 * Adds one timed round.
	 * @param before the counters read just before the round
	 * @param after the counters read just after it
	 * @param requests the HTTP requests of the round
	 */
	void add(Snapshot before, Snapshot after, long requests) {
		after.commands().forEach((command, stat) -> {
			RedisSupport.CommandStat old = before.commands().get(command);
			long addedCalls = stat.calls() - ((old != null) ? old.calls() : 0);
			long addedUsec = stat.usec() - ((old != null) ? old.usec() : 0);
			if (addedCalls > 0) {
				this.calls.merge(command, addedCalls, Long::sum);
				this.usec.merge(command, Math.max(0, addedUsec), Long::sum);
			}
		});
		this.cpuSeconds += after.cpuSeconds() - before.cpuSeconds();
		this.requests += requests;
	}

	/**
	 * Calls per command over the timed rounds, scripts' inner commands included.
	 * @return command name to calls
	 */
	Map<String, Long> calls() {
		return this.calls;
	}

	/**
	 * The HTTP requests of the timed rounds.
	 * @return the count
	 */
	long requests() {
		return this.requests;
	}

	/**
	 * Redis CPU (user plus system) per HTTP request.
	 * @return microseconds
	 */
	double cpuMicrosPerRequest() {
		return this.cpuSeconds * 1e6 / this.requests;
	}

	/**
	 * Command time per HTTP request, each command counted once: the time of script
	 * commands in full (it includes what the script runs) plus, for every other command,
	 * its time times the share of its calls that clients sent rather than scripts ran.
	 * @param sent calls per command sent by clients (from the {@code MONITOR} census)
	 * @param inScripts calls per command run inside scripts (from the census)
	 * @return microseconds
	 */
	double commandMicrosPerRequest(Map<String, Long> sent, Map<String, Long> inScripts) {
		double micros = 0;
		for (Map.Entry<String, Long> entry : this.usec.entrySet()) {
			String command = baseName(entry.getKey());
			micros += entry.getValue() * (SCRIPT_COMMANDS.contains(command) ? 1 : sentShare(command, sent, inScripts));
		}
		return micros / this.requests;
	}

	private static double sentShare(String command, Map<String, Long> sent, Map<String, Long> inScripts) {
		long byScripts = inScripts.getOrDefault(command, 0L);
		if (byScripts == 0) {
			return 1;
		}
		long byClients = sent.getOrDefault(command, 0L);
		return byClients / (double) (byClients + byScripts);
	}

	/**
	 * The command of an {@code INFO commandstats} name, as {@code MONITOR} shows it.
	 * @param name e.g. {@code client|setname}
	 * @return e.g. {@code client}
	 */
	private static String baseName(String name) {
		int bar = name.indexOf('|');
		return (bar < 0) ? name : name.substring(0, bar);
	}

	/**
	 * The counters at one moment.
	 *
	 * @param commands calls and time per command since Redis started
	 * @param cpuSeconds CPU Redis has used since it started
	 */
	record Snapshot(Map<String, RedisSupport.CommandStat> commands, double cpuSeconds) {

		/**
		 * Reads the counters before a round: commands first, then CPU, so that reading
		 * the commands costs no CPU in the round.
		 * @param redis the Redis
		 * @return the counters
		 */
		static Snapshot before(RedisSupport redis) {
			Map<String, RedisSupport.CommandStat> commands = redis.commandStats();
			return new Snapshot(commands, redis.cpuSeconds());
		}

		/**
		 * Reads the counters after a round: CPU first, then commands.
		 * @param redis the Redis
		 * @return the counters
		 */
		static Snapshot after(RedisSupport redis) {
			double cpuSeconds = redis.cpuSeconds();
			return new Snapshot(redis.commandStats(), cpuSeconds);
		}

	}

}
