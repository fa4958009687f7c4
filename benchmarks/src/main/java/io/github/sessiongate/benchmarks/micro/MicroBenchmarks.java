package io.github.sessiongate.benchmarks.micro;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.github.sessiongate.benchmarks.Table;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.format.OutputFormatFactory;

/**
 * Runs the JMH benchmarks of this package with the GC profiler and prints one table:
 * throughput or time per operation, and bytes allocated per operation.
 */
public final class MicroBenchmarks {

	/** How long to measure. */
	public enum Length {

		/**
		 * Enough for the numbers in the docs: 3 warmup and 5 measured seconds, 1 fork.
		 */
		FULL,

		/** 1 warmup and 2 measured seconds, 1 fork. */
		QUICK,

		/**
		 * A few milliseconds in this JVM: proves the benchmarks run, measures nothing.
		 */
		SMOKE

	}

	private MicroBenchmarks() {
	}

	/**
	 * Runs the benchmarks and prints the table.
	 * @param length how long to measure
	 * @param include a regular expression selecting benchmarks ({@code .*} for all of
	 * this package)
	 * @param out where to print
	 * @return the JMH results
	 * @throws RunnerException if JMH fails
	 */
	public static Collection<RunResult> run(Length length, String include, PrintStream out) throws RunnerException {
		ChainedOptionsBuilder options = new OptionsBuilder()
			.include(MicroBenchmarks.class.getPackageName() + "\\." + include)
			.shouldFailOnError(true)
			.addProfiler(GCProfiler.class);
		switch (length) {
			case FULL -> options.forks(1)
				.warmupIterations(3)
				.warmupTime(TimeValue.seconds(1))
				.measurementIterations(5)
				.measurementTime(TimeValue.seconds(1));
			case QUICK -> options.forks(1)
				.warmupIterations(1)
				.warmupTime(TimeValue.seconds(1))
				.measurementIterations(2)
				.measurementTime(TimeValue.seconds(1));
			case SMOKE -> options.forks(0)
				.warmupIterations(0)
				.measurementIterations(1)
				.measurementTime(TimeValue.milliseconds(20));
		}
		if (length != Length.SMOKE) {
			options.jvmArgs("-Xms1g", "-Xmx1g").result(resultFile()).resultFormat(ResultFormatType.JSON);
		}
		// progress goes to stderr, so stdout carries the tables only
		Collection<RunResult> results = new Runner(options.build(), OutputFormatFactory.createFormatInstance(System.err,
				(length != Length.SMOKE) ? VerboseMode.NORMAL : VerboseMode.SILENT))
			.run();
		print(results, out);
		return results;
	}

	/**
	 * Where JMH writes its JSON results: next to the benchmarks jar (or the classes
	 * directory), i.e. {@code benchmarks/target}.
	 */
	private static String resultFile() {
		try {
			Path location = Path.of(MicroBenchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			return location.toAbsolutePath().getParent().resolve("jmh-results.json").toString();
		}
		catch (URISyntaxException | RuntimeException ex) {
			return "jmh-results.json";
		}
	}

	static void print(Collection<RunResult> results, PrintStream out) {
		Table table = new Table("benchmark", "params", "threads", "score", "unit", "B/op");
		List<RunResult> sorted = new ArrayList<>(results);
		sorted.sort((a, b) -> a.getParams().id().compareTo(b.getParams().id()));
		for (RunResult result : sorted) {
			BenchmarkParams params = result.getParams();
			String name = params.getBenchmark();
			name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
			StringBuilder values = new StringBuilder();
			for (String key : params.getParamsKeys()) {
				values.append((values.length() > 0) ? ", " : "").append(key).append('=').append(params.getParam(key));
			}
			Result<?> primary = result.getPrimaryResult();
			Result<?> allocated = result.getSecondaryResults().get("gc.alloc.rate.norm");
			table.row(name, values, params.getThreads(), score(primary), primary.getScoreUnit(),
					(allocated != null) ? Table.integer(allocated.getScore()) : "n/a");
		}
		out.println("## Micro benchmarks (JMH, -prof gc)");
		out.println();
		table.print(out);
	}

	private static String score(Result<?> result) {
		double score = result.getScore();
		double error = result.getScoreError();
		String text = (score >= 1000) ? Table.integer(score) : String.format("%.1f", score);
		if (!Double.isNaN(error)) {
			text += (score >= 1000) ? " ± " + Table.integer(error) : String.format(" ± %.1f", error);
		}
		return text;
	}

}
