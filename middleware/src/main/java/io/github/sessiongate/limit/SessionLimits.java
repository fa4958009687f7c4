package io.github.sessiongate.limit;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The limits a gate enforces. Immutable; build one with {@link #builder()}. A value of
 * {@code 0} (or {@code null} for durations and the rate) means "no limit". <pre>{@code
 * SessionLimits limits = SessionLimits.builder()
 *         .maxConcurrentRequestsPerSession(4)
 *         .maxActiveRequests(200)
 *         .rate(new RateLimit(20, Duration.ofSeconds(1)))
 *         .build();
 * }</pre>
 *
 * @author SessionGate team
 */
public final class SessionLimits {

	private static final SessionLimits NONE = builder().build();

	private final int maxConcurrentRequestsPerSession;

	private final int maxActiveRequests;

	private final @Nullable RateLimit rate;

	private final int maxSessionsPerUser;

	private final SessionsPerUserPolicy sessionsPerUserPolicy;

	private final long maxSessions;

	private final @Nullable Duration absoluteTimeout;

	private final Duration retryAfter;

	private final @Nullable ErrorRatePolicy errorRatePolicy;

	private final int maxStreamsPerSession;

	private final int maxActiveStreams;

	private SessionLimits(Builder builder) {
		this.maxConcurrentRequestsPerSession = builder.maxConcurrentRequestsPerSession;
		this.maxActiveRequests = builder.maxActiveRequests;
		this.rate = builder.rate;
		this.maxSessionsPerUser = builder.maxSessionsPerUser;
		this.sessionsPerUserPolicy = builder.sessionsPerUserPolicy;
		this.maxSessions = builder.maxSessions;
		this.absoluteTimeout = builder.absoluteTimeout;
		this.retryAfter = builder.retryAfter;
		this.errorRatePolicy = builder.errorRatePolicy;
		this.maxStreamsPerSession = builder.maxStreamsPerSession;
		this.maxActiveStreams = builder.maxActiveStreams;
	}

	/**
	 * Limits that limit nothing.
	 * @return the unlimited settings
	 */
	public static SessionLimits none() {
		return NONE;
	}

	/**
	 * Starts a builder with every limit off.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Most requests one session may have in progress at once; 0 for no limit.
	 * @return the per-session concurrency limit
	 */
	public int maxConcurrentRequestsPerSession() {
		return this.maxConcurrentRequestsPerSession;
	}

	/**
	 * Most requests this node may have in progress at once; 0 for no limit.
	 * @return the node capacity
	 */
	public int maxActiveRequests() {
		return this.maxActiveRequests;
	}

	/**
	 * The per-session request rate, or {@code null} for none.
	 * @return the token bucket settings
	 */
	public @Nullable RateLimit rate() {
		return this.rate;
	}

	/**
	 * Most live sessions one user may have; 0 for no limit.
	 * @return the per-user session limit
	 */
	public int maxSessionsPerUser() {
		return this.maxSessionsPerUser;
	}

	/**
	 * What to do when a user is at {@link #maxSessionsPerUser()}.
	 * @return the policy
	 */
	public SessionsPerUserPolicy sessionsPerUserPolicy() {
		return this.sessionsPerUserPolicy;
	}

	/**
	 * Most live sessions in total (per tenant); 0 for no limit.
	 * @return the total-sessions limit
	 */
	public long maxSessions() {
		return this.maxSessions;
	}

	/**
	 * Greatest age of a session, whatever its activity, or {@code null} for none.
	 * @return the absolute timeout
	 */
	public @Nullable Duration absoluteTimeout() {
		return this.absoluteTimeout;
	}

	/**
	 * The {@code Retry-After} hint sent with concurrency and capacity rejections (rate
	 * rejections compute theirs from the bucket).
	 * @return the retry hint
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * The policy that fails sessions with too many errors, or {@code null} for none.
	 * @return the error-rate policy
	 */
	public @Nullable ErrorRatePolicy errorRatePolicy() {
		return this.errorRatePolicy;
	}

	/**
	 * Most streams (server-sent events, WebSockets, long polls) one session may have open
	 * at once; 0 for no limit. Streams do not count toward
	 * {@link #maxConcurrentRequestsPerSession()}.
	 * @return the per-session stream limit
	 */
	public int maxStreamsPerSession() {
		return this.maxStreamsPerSession;
	}

	/**
	 * Most streams this node may have open at once; 0 for no limit. Streams do not count
	 * toward {@link #maxActiveRequests()}.
	 * @return the node's stream capacity
	 */
	public int maxActiveStreams() {
		return this.maxActiveStreams;
	}

	@Override
	public String toString() {
		return "SessionLimits[maxConcurrentRequestsPerSession=" + this.maxConcurrentRequestsPerSession
				+ ", maxActiveRequests=" + this.maxActiveRequests + ", rate=" + this.rate + ", maxSessionsPerUser="
				+ this.maxSessionsPerUser + ", sessionsPerUserPolicy=" + this.sessionsPerUserPolicy + ", maxSessions="
				+ this.maxSessions + ", absoluteTimeout=" + this.absoluteTimeout + ", retryAfter=" + this.retryAfter
				+ ", errorRatePolicy=" + this.errorRatePolicy + ", maxStreamsPerSession=" + this.maxStreamsPerSession
				+ ", maxActiveStreams=" + this.maxActiveStreams + "]";
	}

	/**
	 * Builds {@link SessionLimits}; every setter validates its argument and names it in
	 * the error.
	 */
	public static final class Builder {

		private int maxConcurrentRequestsPerSession;

		private int maxActiveRequests;

		private @Nullable RateLimit rate;

		private int maxSessionsPerUser;

		private SessionsPerUserPolicy sessionsPerUserPolicy = SessionsPerUserPolicy.REJECT_NEW;

		private long maxSessions;

		private @Nullable Duration absoluteTimeout;

		private Duration retryAfter = Duration.ofSeconds(1);

		private @Nullable ErrorRatePolicy errorRatePolicy;

		private int maxStreamsPerSession;

		private int maxActiveStreams;

		private Builder() {
		}

		public Builder maxConcurrentRequestsPerSession(int max) {
			this.maxConcurrentRequestsPerSession = notNegative("maxConcurrentRequestsPerSession", max);
			return this;
		}

		public Builder maxActiveRequests(int max) {
			this.maxActiveRequests = notNegative("maxActiveRequests", max);
			return this;
		}

		public Builder rate(@Nullable RateLimit rate) {
			this.rate = rate;
			return this;
		}

		public Builder maxSessionsPerUser(int max) {
			this.maxSessionsPerUser = notNegative("maxSessionsPerUser", max);
			return this;
		}

		public Builder sessionsPerUserPolicy(SessionsPerUserPolicy policy) {
			this.sessionsPerUserPolicy = Objects.requireNonNull(policy, "sessionsPerUserPolicy cannot be null");
			return this;
		}

		public Builder maxSessions(long max) {
			if (max < 0) {
				throw new IllegalArgumentException("maxSessions must not be negative, was " + max);
			}
			this.maxSessions = max;
			return this;
		}

		public Builder absoluteTimeout(@Nullable Duration timeout) {
			if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
				throw new IllegalArgumentException("absoluteTimeout must be positive, was " + timeout);
			}
			this.absoluteTimeout = timeout;
			return this;
		}

		public Builder retryAfter(Duration retryAfter) {
			Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
			if (retryAfter.isNegative()) {
				throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
			}
			this.retryAfter = retryAfter;
			return this;
		}

		public Builder failSessionAfter(@Nullable ErrorRatePolicy policy) {
			this.errorRatePolicy = policy;
			return this;
		}

		public Builder maxStreamsPerSession(int max) {
			this.maxStreamsPerSession = notNegative("maxStreamsPerSession", max);
			return this;
		}

		public Builder maxActiveStreams(int max) {
			this.maxActiveStreams = notNegative("maxActiveStreams", max);
			return this;
		}

		public SessionLimits build() {
			return new SessionLimits(this);
		}

		private static int notNegative(String name, int value) {
			if (value < 0) {
				throw new IllegalArgumentException(name + " must not be negative, was " + value);
			}
			return value;
		}

	}

}
