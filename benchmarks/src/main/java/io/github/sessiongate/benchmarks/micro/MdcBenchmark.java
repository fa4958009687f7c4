package io.github.sessiongate.benchmarks.micro;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionIds;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The short, non-reversible form of the session id that the filter puts in the MDC on
 * every request with a session.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MdcBenchmark {

	final String sessionId = UUID.randomUUID().toString();

	@Benchmark
	public String shortForm() {
		return SessionIds.shortForm(this.sessionId);
	}

}
