package io.github.sessiongate.ledger;

/**
 * How an admitted request went.
 *
 * @param durationNanos processing time in nanoseconds
 * @param error whether the request failed (exception, async error or timeout, or status
 * &gt;= 500)
 * @author SessionGate team
 */
public record RequestOutcome(long durationNanos, boolean error) {

	public RequestOutcome {
		if (durationNanos < 0) {
			throw new IllegalArgumentException("durationNanos must not be negative, was " + durationNanos);
		}
	}

}
