package io.github.sessiongate.limit;

/**
 * Ends a session as {@code FAILED} (reason {@code error-rate}) once it has finished at
 * least {@code minRequests} requests and more than {@code maxErrorRatio} of them failed.
 * Useful against scripted clients that hammer failing endpoints.
 *
 * @param minRequests finished requests before the policy judges, at least 1
 * @param maxErrorRatio the tolerated share of failed requests, between 0 and 1 (exclusive
 * of 1)
 * @author SessionGate team
 */
public record ErrorRatePolicy(long minRequests, double maxErrorRatio) {

	public ErrorRatePolicy {
		if (minRequests < 1) {
			throw new IllegalArgumentException("minRequests must be at least 1, was " + minRequests);
		}
		if (!(maxErrorRatio >= 0.0 && maxErrorRatio < 1.0)) {
			throw new IllegalArgumentException("maxErrorRatio must be in [0, 1), was " + maxErrorRatio);
		}
	}

	/**
	 * Whether a session with these figures should be failed.
	 * @param finishedRequests finished requests
	 * @param errors failed requests
	 * @return {@code true} when the session is over the policy
	 */
	public boolean isViolatedBy(long finishedRequests, long errors) {
		return finishedRequests >= this.minRequests && errors > this.maxErrorRatio * finishedRequests;
	}

}
