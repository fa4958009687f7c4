package io.github.sessiongate.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An admitted request finished (after its async cycle, if it had one).
 *
 * @param timestamp when
 * @param sessionId the session, or {@code null} for a request without one
 * @param status the response status
 * @param durationNanos the processing time in nanoseconds
 * @param exception the exception the request failed with, or {@code null}
 * @author SessionGate team
 */
public record RequestCompletedEvent(Instant timestamp, @Nullable String sessionId, int status, long durationNanos,
		@Nullable Throwable exception) implements SessionGateEvent {

	/**
	 * Whether the request counts as an error (exception, or status &gt;= 500).
	 * @return {@code true} for a failed request
	 */
	public boolean isError() {
		return this.exception != null || this.status >= 500;
	}

}
