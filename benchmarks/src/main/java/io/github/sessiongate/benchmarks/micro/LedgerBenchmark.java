package io.github.sessiongate.benchmarks.micro;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.limit.SessionLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One request's worth of ledger work: {@code begin} then {@code end} on the in-memory
 * ledger, with no limits or with every limit on. Threads use their own session (the
 * normal case: many sessions) or, in {@code twoThreadsOneSession}, the same one (the
 * contended case: one browser firing parallel requests).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class LedgerBenchmark {

	private static final RequestOutcome OUTCOME = new RequestOutcome(25_000, false);

	/** Which limits the ledger enforces: {@code none} or {@code all}. */
	@Param({ "none", "all" })
	public String limits;

	InMemorySessionLedger ledger;

	SessionLimits sessionLimits;

	RequestStart sharedStart;

	@Setup
	public void setUp() {
		this.ledger = new InMemorySessionLedger();
		this.sessionLimits = "all".equals(this.limits) ? BenchmarkFixtures.allLimitsOn() : SessionLimits.none();
		this.sharedStart = start(UUID.randomUUID().toString(), this.sessionLimits);
	}

	static RequestStart start(String sessionId, SessionLimits limits) {
		return new RequestStart(sessionId, null, Instant.now(), Duration.ofMinutes(30), limits);
	}

	@Benchmark
	@Threads(1)
	public Object oneThread(PerThread thread) {
		return beginEnd(thread.start);
	}

	@Benchmark
	@Threads(2)
	public Object twoThreads(PerThread thread) {
		return beginEnd(thread.start);
	}

	@Benchmark
	@Threads(2)
	public Object twoThreadsOneSession() {
		return beginEnd(this.sharedStart);
	}

	private Object beginEnd(RequestStart start) {
		Admission admission = this.ledger.begin(start);
		if (admission instanceof Admission.Admitted admitted) {
			this.ledger.end(admitted.permit(), OUTCOME);
			return admitted;
		}
		throw new IllegalStateException("not admitted: " + admission);
	}

	/**
	 * A thread's own session.
	 */
	@State(Scope.Thread)
	public static class PerThread {

		RequestStart start;

		@Setup
		public void setUp(LedgerBenchmark benchmark) {
			this.start = start(UUID.randomUUID().toString(), benchmark.sessionLimits);
		}

	}

}
