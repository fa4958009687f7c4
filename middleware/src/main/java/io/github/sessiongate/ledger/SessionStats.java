package io.github.sessiongate.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one session's tracked state.
 *
 * @param sessionId the session id
 * @param tenant the tenant the session was created under, or {@code null}
 * @param userId the bound user, or {@code null}
 * @param status the lifecycle status
 * @param endReason why the session ended (e.g. {@code idle-timeout}), {@code null} while
 * active
 * @param createdAt when the session was created
 * @param lastActivity when the session last started or finished a request
 * @param endedAt when the session ended, {@code null} while active
 * @param activeRequests requests in progress
 * @param requestCount admitted requests
 * @param errorCount failed requests
 * @param rejectionCount rejected requests
 * @param totalProcessingTime summed processing time of finished requests
 * @param maxProcessingTime longest processing time of a finished request
 * @param origin where the session comes from (device, client address as the policy keeps
 * it, user agent), {@link SessionOrigin#NONE} when not known
 * @param openStreams streams (server-sent events, WebSockets, long polls) open now; not
 * part of {@code activeRequests}
 * @param streamCount streams the session opened; not part of {@code requestCount}, and
 * their durations are not part of the processing times
 * @param metadata the application's metadata the session keeps ({@link MetadataPolicy}),
 * unmodifiable, empty when none
 * @author SessionGate team
 */
public record SessionStats(String sessionId, @Nullable String tenant, @Nullable String userId, SessionStatus status,
		@Nullable String endReason, Instant createdAt, Instant lastActivity, @Nullable Instant endedAt,
		int activeRequests, long requestCount, long errorCount, long rejectionCount, Duration totalProcessingTime,
		Duration maxProcessingTime, SessionOrigin origin, int openStreams, long streamCount,
		Map<String, String> metadata) {

	public SessionStats {
		Objects.requireNonNull(origin, "origin cannot be null");
		Objects.requireNonNull(metadata, "metadata cannot be null");
		metadata = metadata.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
		Objects.requireNonNull(sessionId, "sessionId cannot be null");
		Objects.requireNonNull(status, "status cannot be null");
		Objects.requireNonNull(createdAt, "createdAt cannot be null");
		Objects.requireNonNull(lastActivity, "lastActivity cannot be null");
		Objects.requireNonNull(totalProcessingTime, "totalProcessingTime cannot be null");
		Objects.requireNonNull(maxProcessingTime, "maxProcessingTime cannot be null");
	}

	/**
	 * Stats of a session that has opened no stream.
	 * @param sessionId the session id
	 * @param tenant the tenant, or {@code null}
	 * @param userId the bound user, or {@code null}
	 * @param status the lifecycle status
	 * @param endReason why the session ended, {@code null} while active
	 * @param createdAt when the session was created
	 * @param lastActivity when the session last started or finished a request
	 * @param endedAt when the session ended, {@code null} while active
	 * @param activeRequests requests in progress
	 * @param requestCount admitted requests
	 * @param errorCount failed requests
	 * @param rejectionCount rejected requests
	 * @param totalProcessingTime summed processing time of finished requests
	 * @param maxProcessingTime longest processing time of a finished request
	 * @param origin where the session comes from
	 */
	public SessionStats(String sessionId, @Nullable String tenant, @Nullable String userId, SessionStatus status,
			@Nullable String endReason, Instant createdAt, Instant lastActivity, @Nullable Instant endedAt,
			int activeRequests, long requestCount, long errorCount, long rejectionCount, Duration totalProcessingTime,
			Duration maxProcessingTime, SessionOrigin origin) {
		this(sessionId, tenant, userId, status, endReason, createdAt, lastActivity, endedAt, activeRequests,
				requestCount, errorCount, rejectionCount, totalProcessingTime, maxProcessingTime, origin, 0, 0,
				Map.of());
	}

	/**
	 * Returns these stats with the session's stream counts.
	 * @param open streams open now
	 * @param count streams opened
	 * @return the stats with those counts
	 */
	public SessionStats withStreams(int open, long count) {
		return new SessionStats(this.sessionId, this.tenant, this.userId, this.status, this.endReason, this.createdAt,
				this.lastActivity, this.endedAt, this.activeRequests, this.requestCount, this.errorCount,
				this.rejectionCount, this.totalProcessingTime, this.maxProcessingTime, this.origin, open, count,
				this.metadata);
	}

	/**
	 * Stats of a session whose origin is not known.
	 * @param sessionId the session id
	 * @param tenant the tenant, or {@code null}
	 * @param userId the bound user, or {@code null}
	 * @param status the lifecycle status
	 * @param endReason why the session ended, {@code null} while active
	 * @param createdAt when the session was created
	 * @param lastActivity when the session last started or finished a request
	 * @param endedAt when the session ended, {@code null} while active
	 * @param activeRequests requests in progress
	 * @param requestCount admitted requests
	 * @param errorCount failed requests
	 * @param rejectionCount rejected requests
	 * @param totalProcessingTime summed processing time of finished requests
	 * @param maxProcessingTime longest processing time of a finished request
	 */
	public SessionStats(String sessionId, @Nullable String tenant, @Nullable String userId, SessionStatus status,
			@Nullable String endReason, Instant createdAt, Instant lastActivity, @Nullable Instant endedAt,
			int activeRequests, long requestCount, long errorCount, long rejectionCount, Duration totalProcessingTime,
			Duration maxProcessingTime) {
		this(sessionId, tenant, userId, status, endReason, createdAt, lastActivity, endedAt, activeRequests,
				requestCount, errorCount, rejectionCount, totalProcessingTime, maxProcessingTime, SessionOrigin.NONE);
	}

	/**
	 * Stats of a session with no open stream (the stream counts are added with
	 * {@link #withStreams}).
	 * @param sessionId the session id
	 * @param tenant the tenant, or {@code null}
	 * @param userId the bound user, or {@code null}
	 * @param status the lifecycle status
	 * @param endReason why the session ended, {@code null} while active
	 * @param createdAt when the session was created
	 * @param lastActivity when the session last started or finished a request
	 * @param endedAt when the session ended, {@code null} while active
	 * @param activeRequests requests in progress
	 * @param requestCount admitted requests
	 * @param errorCount failed requests
	 * @param rejectionCount rejected requests
	 * @param totalProcessingTime summed processing time of finished requests
	 * @param maxProcessingTime longest processing time of a finished request
	 * @param origin where the session comes from
	 * @param metadata the application's metadata the session keeps
	 */
	public SessionStats(String sessionId, @Nullable String tenant, @Nullable String userId, SessionStatus status,
			@Nullable String endReason, Instant createdAt, Instant lastActivity, @Nullable Instant endedAt,
			int activeRequests, long requestCount, long errorCount, long rejectionCount, Duration totalProcessingTime,
			Duration maxProcessingTime, SessionOrigin origin, Map<String, String> metadata) {
		this(sessionId, tenant, userId, status, endReason, createdAt, lastActivity, endedAt, activeRequests,
				requestCount, errorCount, rejectionCount, totalProcessingTime, maxProcessingTime, origin, 0, 0,
				metadata);
	}

	/**
	 * The requests that finished (admitted minus in progress).
	 * @return finished requests
	 */
	public long completedRequests() {
		return Math.max(0, this.requestCount - this.activeRequests);
	}

	/**
	 * Mean processing time of finished requests.
	 * @return the mean, zero when none finished
	 */
	public Duration averageProcessingTime() {
		long completed = completedRequests();
		return (completed != 0) ? this.totalProcessingTime.dividedBy(completed) : Duration.ZERO;
	}

	/**
	 * The share of finished requests that failed.
	 * @return a ratio between 0 and 1
	 */
	public double errorRatio() {
		long completed = completedRequests();
		return (completed != 0) ? (double) this.errorCount / completed : 0.0;
	}

	@Override
	public String toString() {
		return "SessionStats[session=" + SessionIds.shortForm(this.sessionId) + ", tenant=" + this.tenant + ", userId="
				+ this.userId + ", status=" + this.status + ", endReason=" + this.endReason + ", activeRequests="
				+ this.activeRequests + ", requestCount=" + this.requestCount + ", errorCount=" + this.errorCount
				+ ", rejectionCount=" + this.rejectionCount + ", openStreams=" + this.openStreams + ", streamCount="
				+ this.streamCount + "]";
	}

}
