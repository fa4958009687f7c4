package io.github.sessiongate.benchmarks.micro;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.internal.NodeCapacity;
import io.github.sessiongate.limit.SessionLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The admission decision as the filter makes it, every limit on: node capacity, then the
 * request start built from the session (creation time, idle timeout) and the ledger's
 * checks (total sessions, age, per-session concurrency, rate); {@code admit} includes the
 * release at the end, {@code rejectAtConcurrencyLimit} is the cost of saying no.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class AdmissionBenchmark {

	private static final RequestOutcome OUTCOME = new RequestOutcome(25_000, false);

	final SessionLimits limits = BenchmarkFixtures.allLimitsOn();

	final SessionLimits oneAtATime = SessionLimits.builder().maxConcurrentRequestsPerSession(1).build();

	final NodeCapacity capacity = new NodeCapacity(this.limits.maxActiveRequests());

	final InMemorySessionLedger ledger = new InMemorySessionLedger();

	final long creationMillis = System.currentTimeMillis();

	final String sessionId = UUID.randomUUID().toString();

	final String busySessionId = UUID.randomUUID().toString();

	@Setup
	public void setUp() {
		// the busy session holds its only permit for the whole run
		Admission held = this.ledger.begin(
				new RequestStart(this.busySessionId, "acme", Instant.now(), Duration.ofMinutes(30), this.oneAtATime));
		if (!(held instanceof Admission.Admitted)) {
			throw new IllegalStateException("not admitted: " + held);
		}
	}

	@Benchmark
	public Object admit() {
		if (!this.capacity.tryAcquire()) {
			throw new IllegalStateException("capacity");
		}
		try {
			RequestStart start = new RequestStart(this.sessionId, "acme", Instant.ofEpochMilli(this.creationMillis),
					Duration.ofSeconds(1800), this.limits);
			Admission admission = this.ledger.begin(start);
			if (admission instanceof Admission.Admitted admitted) {
				this.ledger.end(admitted.permit(), OUTCOME);
				return admitted;
			}
			throw new IllegalStateException("not admitted: " + admission);
		}
		finally {
			this.capacity.release();
		}
	}

	@Benchmark
	public Object rejectAtConcurrencyLimit() {
		RequestStart start = new RequestStart(this.busySessionId, "acme", Instant.ofEpochMilli(this.creationMillis),
				Duration.ofSeconds(1800), this.oneAtATime);
		Admission admission = this.ledger.begin(start);
		if (admission instanceof Admission.Rejected) {
			return admission;
		}
		throw new IllegalStateException("not rejected: " + admission);
	}

}
