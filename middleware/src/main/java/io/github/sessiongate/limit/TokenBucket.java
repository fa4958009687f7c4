package io.github.sessiongate.limit;

/**
 * The token bucket rule of {@link RateLimit}, once: a bucket holds up to {@code capacity}
 * tokens, refills {@code capacity} tokens per {@code period} continuously, and a request
 * takes one whole token. The in-memory ledger applies it here; the Redis ledger applies
 * the same rule in Lua ({@code take_token} in the Redis package's {@code common.lua}),
 * and one table of cases checks both.
 *
 * @author SessionGate team
 */
public final class TokenBucket {

	private TokenBucket() {
	}

	/**
	 * Refills a bucket and takes a token if there is one.
	 * @param tokens the tokens in the bucket when last refilled; negative for a new
	 * (full) bucket
	 * @param elapsed the time since the bucket was last refilled (a negative time, a
	 * clock set back, counts as none)
	 * @param capacity the bucket's capacity (positive)
	 * @param period the time to refill the whole bucket, in the unit of {@code elapsed}
	 * @return the bucket after the request
	 */
	public static Take take(double tokens, long elapsed, long capacity, long period) {
		double perToken = (double) period / capacity;
		double available = (tokens < 0) ? capacity : Math.min(capacity, tokens + Math.max(0, elapsed) / perToken);
		if (available < 1) {
			return new Take(available, false, Math.max(1, (long) Math.ceil((1 - available) * perToken)));
		}
		return new Take(available - 1, true, 0);
	}

	/**
	 * The bucket after a request.
	 *
	 * @param tokensLeft the tokens left (fractional)
	 * @param taken whether the request took a token
	 * @param waitTime when not taken, the time until a token is available, in the unit of
	 * the period; 0 when taken
	 */
	public record Take(double tokensLeft, boolean taken, long waitTime) {

		/**
		 * The whole tokens left.
		 * @return the tokens left, rounded down
		 */
		public long wholeTokensLeft() {
			return (long) Math.floor(this.tokensLeft);
		}

	}

}
