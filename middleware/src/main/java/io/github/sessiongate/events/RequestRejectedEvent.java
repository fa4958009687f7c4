package io.github.sessiongate.events;

import java.time.Duration;
import java.time.Instant;

import io.github.sessiongate.limit.Limit;
import org.jspecify.annotations.Nullable;

/**
 * A request was refused by a limit and never reached the application.
 *
 * @param timestamp when
 * @param limit the limit that refused it
 * @param sessionId the session, or {@code null} when refused before a session was known
 * @param userId the user, or {@code null}
 * @param clientIp the client address
 * @param retryAfter the retry hint sent to the client
 * @author SessionGate team
 */
public record RequestRejectedEvent(Instant timestamp, Limit limit, @Nullable String sessionId, @Nullable String userId,
		String clientIp, Duration retryAfter) implements SessionGateEvent {

}
