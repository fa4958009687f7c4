package io.github.sessiongate.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An admitted stream (server-sent events, a WebSocket, a long poll) closed. Its duration
 * is how long it was open, not a processing time: it is reported here and never in a
 * {@link RequestCompletedEvent}.
 *
 * @param timestamp when
 * @param sessionId the session, or {@code null} for a stream without one
 * @param durationNanos how long the stream was open, in nanoseconds
 * @param closedBySessionEnd whether the gate closed it because its session ended
 * @author SessionGate team
 */
public record StreamClosedEvent(Instant timestamp, @Nullable String sessionId, long durationNanos,
		boolean closedBySessionEnd) implements SessionGateEvent {

}
