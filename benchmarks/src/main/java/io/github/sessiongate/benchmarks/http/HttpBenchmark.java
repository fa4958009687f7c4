package io.github.sessiongate.benchmarks.http;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.benchmarks.Table;
import io.github.sessiongate.benchmarks.micro.BenchmarkFixtures;
import org.jspecify.annotations.Nullable;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * The HTTP benchmark. One Jetty serves every variant on its own path with the same
 * trivial handler; a {@link LoadClient} in its own JVM drives one variant at a time,
 * round-robin (each round starts one variant later, so no variant always runs first or
 * after the same neighbour), which spreads drift (JIT, GC, other processes, heat) over
 * all of them. Reported values are medians over rounds; ratios are medians of the
 * per-round ratios of neighbouring runs.
 *
 * <p>
 * Variants: (1) no session filter, (2) Spring Session's {@code SessionRepositoryFilter}
 * with a {@code MapSessionRepository}, (3) SessionGate in memory, (4) Spring Session with
 * a {@code RedisSessionRepository}, (5) SessionGate on Redis with that repository, (6)
 * SessionGate on Redis with its own session repository. The SessionGate variants enforce
 * every limit (set high enough never to reject), trust {@code 127.0.0.1} as a proxy (so
 * {@code X-Forwarded-For} is walked), and read tenant, device and user from headers (so
 * each session is bound to a user).
 *
 * <p>
 * For each Redis variant it also reports Redis commands, round trips and Redis server
 * time (command time and process CPU) per request, read before and after each of that
 * variant's timed rounds.
 */
public final class HttpBenchmark {

	private HttpBenchmark() {
	}

	/**
	 * Runs the benchmark and prints its tables.
	 * @param settings how long and how hard
	 * @param out where to print
	 * @return the medians, for checks
	 * @throws Exception if the server, Redis or the load client fails
	 */
	public static Report run(Settings settings, PrintStream out) throws Exception {
		List<AutoCloseable> resources = new ArrayList<>();
		try {
			RedisSupport redis = null;
			if (settings.redis()) {
				redis = RedisSupport.start();
				resources.add(0, redis);
			}
			List<Variant> variants = variants(redis, resources);
			BenchServer server = BenchServer.start(variants);
			resources.add(0, server);
			LoadClientProcess client = LoadClientProcess.start();
			resources.add(0, client);
			return measure(settings, variants, server.port(), client, redis, out);
		}
		finally {
			for (AutoCloseable resource : resources) {
				resource.close();
			}
		}
	}

	private static List<Variant> variants(@Nullable RedisSupport redis, List<AutoCloseable> resources) {
		List<Variant> variants = new ArrayList<>();
		variants.add(new Variant(1, "no session filter", null, false));
		variants.add(new Variant(2, "Spring Session, MapSessionRepository",
				new SessionRepositoryFilter<>(new MapSessionRepository(new ConcurrentHashMap<>())), false));
		SessionGate memoryGate = configure(SessionGate.builder(new MapSessionRepository(new ConcurrentHashMap<>())))
			.build();
		resources.add(memoryGate);
		variants.add(new Variant(3, "SessionGate in memory, all limits", memoryGate.filter(), false));
		if (redis != null) {
			variants.add(new Variant(4, "Spring Session, RedisSessionRepository",
					new SessionRepositoryFilter<>(redis.sessionRepository("bench:v4")), true));
			SessionGate redisGate = RedisGateVariant.create(redis, "bench:v5");
			resources.add(0, redisGate);
			variants.add(new Variant(5, "SessionGate on Redis, all limits", redisGate.filter(), true));
			SessionGate ownGate = RedisGateVariant.createWithOwnRepository(redis, "bench:v6");
			resources.add(0, ownGate);
			variants.add(
					new Variant(6, "SessionGate on Redis, own session repository, all limits", ownGate.filter(), true));
		}
		return variants;
	}

	/**
	 * The SessionGate settings of variants (3), (5) and (6).
	 * @param builder a builder around the variant's repository
	 * @return the builder, configured
	 */
	static SessionGate.Builder configure(SessionGate.Builder builder) {
		return builder.limits(BenchmarkFixtures.allLimitsOn())
			.trustedProxies("127.0.0.1/32")
			.tenantHeader("X-Tenant")
			.deviceHeader("X-Device")
			.userIdResolver((request) -> request.getHeader("X-User"));
	}

	private static Report measure(Settings settings, List<Variant> variants, int port, LoadClientProcess client,
			@Nullable RedisSupport redis, PrintStream out) throws Exception {
		for (int i = 0; i < settings.warmups(); i++) {
			for (Variant variant : variants) {
				LoadClient.Result result = run(settings, client, port, variant, settings.warmup());
				if (result.errors() > 0) {
					throw new IllegalStateException(variant.name() + " answered errors while warming up");
				}
			}
		}
		Map<Variant, List<LoadClient.Result>> results = new LinkedHashMap<>();
		Map<Variant, RedisUsage> usages = new LinkedHashMap<>();
		variants.forEach((variant) -> results.put(variant, new ArrayList<>()));
		for (int round = 0; round < settings.rounds(); round++) {
			for (int i = 0; i < variants.size(); i++) {
				Variant variant = variants.get((round + i) % variants.size());
				RedisUsage.Snapshot before = (variant.redis() && redis != null) ? RedisUsage.Snapshot.before(redis)
						: null;
				LoadClient.Result result = run(settings, client, port, variant, settings.round());
				if (before != null) {
					usages.computeIfAbsent(variant, (v) -> new RedisUsage())
						.add(before, RedisUsage.Snapshot.after(redis), result.requests());
				}
				results.get(variant).add(result);
			}
		}
		Map<Variant, Census> censuses = new LinkedHashMap<>();
		if (redis != null) {
			for (Variant variant : variants) {
				if (variant.redis()) {
					RedisSupport.Census census = redis.census();
					LoadClient.Result result = client.run(port, variant.path(), settings.connections(),
							settings.sessionsPerConnection(), 2_000, settings.censusRequests());
					redis.finish(census);
					censuses.put(variant, new Census(result.requests(), census.sent(), census.inScripts()));
				}
			}
		}
		return report(settings, variants, results, usages, censuses, out);
	}

	private static LoadClient.Result run(Settings settings, LoadClientProcess client, int port, Variant variant,
			Duration duration) throws Exception {
		return client.run(port, variant.path(), settings.connections(), settings.sessionsPerConnection(),
				duration.toMillis(), settings.maxRequestsPerRun());
	}

	private static Report report(Settings settings, List<Variant> variants,
			Map<Variant, List<LoadClient.Result>> results, Map<Variant, RedisUsage> usages,
			Map<Variant, Census> censuses, PrintStream out) {
		out.println("## HTTP: " + settings.rounds() + " rounds of " + settings.round().toSeconds()
				+ " s per variant, round-robin, " + settings.connections() + " connections, "
				+ settings.sessionsPerConnection() + " sessions per connection, medians over rounds");
		out.println();
		Table table = new Table("variant", "requests/s", "p50 ms", "p90 ms", "p99 ms", "errors");
		Map<Integer, Double> medianRates = new TreeMap<>();
		for (Variant variant : variants) {
			List<LoadClient.Result> runs = results.get(variant);
			double rate = Table.median(values(runs, LoadClient.Result::requestsPerSecond));
			medianRates.put(variant.number(), rate);
			long errors = runs.stream().mapToLong(LoadClient.Result::errors).sum();
			table.row(variant.name(), Table.integer(rate), millis(Table.median(values(runs, (r) -> r.p50()))),
					millis(Table.median(values(runs, (r) -> r.p90()))),
					millis(Table.median(values(runs, (r) -> r.p99()))), errors);
		}
		table.print(out);
		Table ratios = new Table("ratio (requests/s)", "median of rounds", "min", "max", "target");
		Map<String, Double> medianRatios = new LinkedHashMap<>();
		ratio(ratios, medianRatios, variants, results, 3, 2, ">= 0.95");
		ratio(ratios, medianRatios, variants, results, 5, 4, "(gate adds <= 2 round trips: see below)");
		ratio(ratios, medianRatios, variants, results, 6, 4, ">= 1.0");
		ratio(ratios, medianRatios, variants, results, 2, 1, "(Spring Session's own cost)");
		ratio(ratios, medianRatios, variants, results, 4, 1, "(Spring Session's own cost)");
		ratios.print(out);
		if (!usages.isEmpty()) {
			out.println("### Redis commands per HTTP request (INFO commandstats, timed rounds; includes commands"
					+ " run inside Lua scripts)");
			out.println();
			Table perRequest = new Table("variant", "commands/request", "by command");
			usages.forEach((variant, usage) -> perRequest.row(variant.name(),
					Table.decimal(total(usage.calls()) / (double) usage.requests()),
					breakdown(usage.calls(), usage.requests())));
			perRequest.print(out);
		}
		if (!censuses.isEmpty()) {
			out.println("### Round trips per HTTP request (MONITOR census, untimed)");
			out.println();
			Table trips = new Table("variant", "requests", "round trips/request", "sent", "run inside scripts");
			censuses.forEach((variant, census) -> trips.row(variant.name(), census.requests(),
					Table.decimal(total(census.sent()) / (double) census.requests()),
					breakdown(census.sent(), census.requests()), breakdown(census.inScripts(), census.requests())));
			trips.print(out);
		}
		Map<Integer, RedisTime> redisTimes = redisTime(usages, censuses, out);
		return new Report(medianRates, medianRatios, redisTimes);
	}

	private static Map<Integer, RedisTime> redisTime(Map<Variant, RedisUsage> usages, Map<Variant, Census> censuses,
			PrintStream out) {
		Map<Integer, RedisTime> times = new TreeMap<>();
		if (usages.isEmpty()) {
			return times;
		}
		out.println("### Redis server time per HTTP request (INFO commandstats and INFO cpu, timed rounds)");
		out.println();
		Table table = new Table("variant", "commands/request", "round trips/request", "command µs/request",
				"Redis CPU µs/request");
		usages.forEach((variant, usage) -> {
			Census census = censuses.get(variant);
			Map<String, Long> sent = (census != null) ? census.sent() : Map.of();
			Map<String, Long> inScripts = (census != null) ? census.inScripts() : Map.of();
			RedisTime time = new RedisTime(usage.commandMicrosPerRequest(sent, inScripts), usage.cpuMicrosPerRequest());
			times.put(variant.number(), time);
			table.row(variant.name(), Table.decimal(total(usage.calls()) / (double) usage.requests()),
					(census != null) ? Table.decimal(total(sent) / (double) census.requests()) : "-",
					Table.decimal(time.commandMicros()), Table.decimal(time.cpuMicros()));
		});
		table.print(out);
		out.println("Command µs: `usec` of EVAL/EVALSHA/FCALL (includes the commands the script runs) plus `usec` of"
				+ " every other command times the share of its calls sent by clients (MONITOR census): none counted twice.");
		out.println("Redis CPU µs: `used_cpu_user` + `used_cpu_sys` of the Redis process: command time plus network I/O"
				+ " (what round trips cost Redis) and housekeeping.");
		out.println();
		return times;
	}

	private static void ratio(Table table, Map<String, Double> medians, List<Variant> variants,
			Map<Variant, List<LoadClient.Result>> results, int numerator, int denominator, String target) {
		Variant top = find(variants, numerator);
		Variant bottom = find(variants, denominator);
		if (top == null || bottom == null) {
			return;
		}
		List<LoadClient.Result> tops = results.get(top);
		List<LoadClient.Result> bottoms = results.get(bottom);
		double[] ratios = new double[Math.min(tops.size(), bottoms.size())];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = tops.get(i).requestsPerSecond() / bottoms.get(i).requestsPerSecond();
		}
		if (ratios.length == 0) {
			return;
		}
		double median = Table.median(ratios);
		medians.put("(" + numerator + ")/(" + denominator + ")", median);
		double min = Double.MAX_VALUE;
		double max = 0;
		for (double ratio : ratios) {
			min = Math.min(min, ratio);
			max = Math.max(max, ratio);
		}
		table.row("(" + numerator + ")/(" + denominator + ")", Table.decimal(median), Table.decimal(min),
				Table.decimal(max), target);
	}

	private static @Nullable Variant find(List<Variant> variants, int number) {
		return variants.stream().filter((v) -> v.number() == number).findFirst().orElse(null);
	}

	private static double[] values(List<LoadClient.Result> runs,
			java.util.function.ToDoubleFunction<LoadClient.Result> value) {
		return runs.stream().mapToDouble(value).toArray();
	}

	private static String millis(double nanos) {
		return String.format("%.3f", nanos / 1e6);
	}

	private static long total(Map<String, Long> counts) {
		return counts.values().stream().mapToLong(Long::longValue).sum();
	}

	private static String breakdown(Map<String, Long> counts, long requests) {
		StringBuilder text = new StringBuilder();
		counts.forEach((command, calls) -> {
			double perRequest = calls / (double) requests;
			if (perRequest >= 0.005) {
				text.append((text.length() > 0) ? ", " : "")
					.append(command)
					.append(' ')
					.append(Table.decimal(perRequest));
			}
		});
		return (text.length() > 0) ? text.toString() : "-";
	}

	/**
	 * How long and how hard to run.
	 *
	 * @param warmups warm-up passes over all variants (not reported)
	 * @param warmup length of one warm-up run
	 * @param rounds measured rounds over all variants
	 * @param round length of one measured run
	 * @param connections concurrent keep-alive connections of the load client
	 * @param sessionsPerConnection sessions each connection cycles through
	 * @param maxRequestsPerRun a hard cap on requests per run
	 * @param censusRequests requests of the untimed Redis census, per Redis variant
	 * @param redis whether to run the Redis variants
	 */
	public record Settings(int warmups, Duration warmup, int rounds, Duration round, int connections,
			int sessionsPerConnection, long maxRequestsPerRun, long censusRequests, boolean redis) {

		/**
		 * The full run (about 5 minutes with 5 variants).
		 * @return the settings
		 */
		public static Settings full() {
			return new Settings(2, Duration.ofSeconds(5), 7, Duration.ofSeconds(6), 8, 32, 10_000_000, 2_000, true);
		}

		/**
		 * The quick run (about 1 minute).
		 * @return the settings
		 */
		public static Settings quick() {
			return new Settings(1, Duration.ofSeconds(3), 3, Duration.ofSeconds(3), 8, 32, 10_000_000, 1_000, true);
		}

		/**
		 * A run that only proves everything works (a couple of seconds).
		 * @param redis whether to include the Redis variants
		 * @return the settings
		 */
		public static Settings smoke(boolean redis) {
			return new Settings(1, Duration.ofMillis(200), 1, Duration.ofMillis(200), 2, 2, 5_000, 100, redis);
		}

	}

	/**
	 * The medians of a run.
	 *
	 * @param requestsPerSecond median requests/s by variant number
	 * @param ratios median ratios by name, e.g. {@code (3)/(2)}
	 * @param redisTime Redis server time per request by variant number, Redis variants
	 * only
	 */
	public record Report(Map<Integer, Double> requestsPerSecond, Map<String, Double> ratios,
			Map<Integer, RedisTime> redisTime) {
	}

	/**
	 * Redis server time per HTTP request of one variant, over its timed rounds.
	 *
	 * @param commandMicros command time ({@code INFO commandstats}), each command counted
	 * once, in microseconds
	 * @param cpuMicros CPU of the Redis process ({@code INFO cpu}), in microseconds
	 */
	public record RedisTime(double commandMicros, double cpuMicros) {
	}

	private record Census(long requests, Map<String, Long> sent, Map<String, Long> inScripts) {
	}

}
