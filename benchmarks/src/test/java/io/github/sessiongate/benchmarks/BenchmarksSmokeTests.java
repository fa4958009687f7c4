package io.github.sessiongate.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

import io.github.sessiongate.benchmarks.http.HttpBenchmark;
import io.github.sessiongate.benchmarks.memory.MemoryBenchmark;
import io.github.sessiongate.benchmarks.micro.MicroBenchmarks;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmarks compiling and runnable: each part runs for a few milliseconds and
 * prints its tables. These runs measure nothing; {@code benchmarks/run.sh} does.
 */
class BenchmarksSmokeTests {

	private final ByteArrayOutputStream output = new ByteArrayOutputStream();

	private final PrintStream out = new PrintStream(this.output, true, StandardCharsets.UTF_8);

	@Test
	void microBenchmarksRunAndPrintOneRowEach() throws Exception {
		Collection<RunResult> results = MicroBenchmarks.run(MicroBenchmarks.Length.SMOKE, ".*", this.out);

		assertThat(results).hasSizeGreaterThanOrEqualTo(14);
		assertThat(printed()).contains("LedgerBenchmark.oneThread", "FilterBenchmark.request", "B/op");
	}

	@Test
	void httpBenchmarkServesEveryVariantWithoutErrors() throws Exception {
		HttpBenchmark.Report report = HttpBenchmark.run(HttpBenchmark.Settings.smoke(true), this.out);

		assertThat(report.requestsPerSecond()).containsKeys(1, 2, 3, 4, 5, 6).allSatisfy((variant, rate) -> {
			assertThat(rate).as("requests/s of variant " + variant).isPositive();
		});
		assertThat(report.ratios()).containsKeys("(3)/(2)", "(5)/(4)", "(6)/(4)");
		assertThat(printed()).contains("| (3) SessionGate in memory", "errors", "commands/request",
				"round trips/request");
		assertThat(printed()).doesNotContain("load client failed");
		assertThat(report.redisTime()).containsKeys(4, 5, 6).allSatisfy((variant, time) -> {
			assertThat(time.commandMicros()).as("command µs/request of variant " + variant).isPositive();
			assertThat(time.cpuMicros()).as("Redis CPU µs/request of variant " + variant).isPositive();
		});
		assertThat(printed()).contains("### Redis server time per HTTP request");
		String redisTime = printed().substring(printed().indexOf("### Redis server time per HTTP request"));
		assertThat(redisTime).contains("command µs/request", "Redis CPU µs/request")
			.containsPattern("\\| \\(4\\) Spring Session, RedisSessionRepository +\\|( +[0-9]+\\.[0-9]{2} +\\|){4}")
			.containsPattern("\\| \\(5\\) SessionGate on Redis[^|]*\\|( +[0-9]+\\.[0-9]{2} +\\|){4}");
	}

	@Test
	void memoryBenchmarkMeasuresFootprintAndSweeps() {
		List<Double> perSession = MemoryBenchmark.run(new int[] { 5_000 }, this.out);

		assertThat(perSession).hasSize(1);
		assertThat(printed()).contains("B/session", "sweep, all expire");
	}

	private String printed() {
		return this.output.toString(StandardCharsets.UTF_8);
	}

}
