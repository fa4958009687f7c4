package io.github.sessiongate.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The gate started tracking a session (its first tracked request).
 *
 * @param timestamp when
 * @param sessionId the session id (never log it raw; see
 * {@link io.github.sessiongate.SessionIds#shortForm})
 * @param tenant the tenant, or {@code null}
 * @param clientIp the client address of the first request
 * @param userAgent the user agent of the first request, or {@code null}
 * @author SessionGate team
 */
public record SessionStartedEvent(Instant timestamp, String sessionId, @Nullable String tenant, String clientIp,
		@Nullable String userAgent) implements SessionGateEvent {

}
