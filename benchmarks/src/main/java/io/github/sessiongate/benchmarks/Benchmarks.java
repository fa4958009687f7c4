package io.github.sessiongate.benchmarks;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import io.github.sessiongate.benchmarks.http.HttpBenchmark;
import io.github.sessiongate.benchmarks.memory.MemoryBenchmark;
import io.github.sessiongate.benchmarks.micro.MicroBenchmarks;

/**
 * Entry point of {@code benchmarks.jar}: {@code micro}, {@code http} or {@code memory},
 * each optionally {@code --quick}. {@code benchmarks/run.sh} runs all three, each in a
 * JVM of its own with fixed heap settings. <pre>
 * java -jar benchmarks/target/benchmarks.jar micro [--quick] [regex]
 * java -jar benchmarks/target/benchmarks.jar http [--quick] [--no-redis]
 * java -jar benchmarks/target/benchmarks.jar memory [--quick]
 * </pre>
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			usage();
			return;
		}
		List<String> options = Arrays.asList(args).subList(1, args.length);
		boolean quick = options.contains("--quick");
		PrintStream out = System.out;
		switch (args[0]) {
			case "micro" -> {
				String include = options.stream().filter((o) -> !o.startsWith("--")).findFirst().orElse(".*");
				MicroBenchmarks.run(quick ? MicroBenchmarks.Length.QUICK : MicroBenchmarks.Length.FULL, include, out);
			}
			case "http" -> {
				HttpBenchmark.Settings settings = quick ? HttpBenchmark.Settings.quick()
						: HttpBenchmark.Settings.full();
				if (options.contains("--no-redis")) {
					settings = new HttpBenchmark.Settings(settings.warmups(), settings.warmup(), settings.rounds(),
							settings.round(), settings.connections(), settings.sessionsPerConnection(),
							settings.maxRequestsPerRun(), settings.censusRequests(), false);
				}
				HttpBenchmark.run(settings, out);
			}
			case "memory" -> MemoryBenchmark.run(new int[] { 100_000, 1_000_000 }, out);
			default -> usage();
		}
	}

	private static void usage() {
		System.err.println("usage: java -jar benchmarks.jar (micro [--quick] [regex] | http [--quick] [--no-redis]"
				+ " | memory)   (benchmarks/run.sh runs all three)");
		System.exit(2);
	}

}
