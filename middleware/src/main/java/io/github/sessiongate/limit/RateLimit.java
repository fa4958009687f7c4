package io.github.sessiongate.limit;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code capacity}
 * tokens per {@code refillPeriod}. Each request takes one token.
 *
 * @param capacity the bucket size (the largest burst), at least 1
 * @param refillPeriod the time to refill an empty bucket, positive
 * @author SessionGate team
 */
public record RateLimit(long capacity, Duration refillPeriod) {

	public RateLimit {
		if (capacity < 1) {
			throw new IllegalArgumentException("rate capacity must be at least 1, was " + capacity);
		}
		Objects.requireNonNull(refillPeriod, "refillPeriod cannot be null");
		if (refillPeriod.isNegative() || refillPeriod.isZero()) {
			throw new IllegalArgumentException("rate refill period must be positive, was " + refillPeriod);
		}
	}

	/**
	 * The time one token takes to refill.
	 * @return nanoseconds per token, at least 1
	 */
	public long nanosPerToken() {
		return Math.max(1, this.refillPeriod.toNanos() / this.capacity);
	}

}
