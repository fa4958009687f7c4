package io.github.sessiongate.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A request presented the id of a session that belongs to another tenant. The id was
 * ignored (the request was treated as having no session); this event lets security
 * monitoring see the attempt.
 *
 * @param timestamp when
 * @param sessionId the presented session id
 * @param requestTenant the tenant the request was made under, or {@code null}
 * @param clientIp the client address
 * @author SessionGate team
 */
public record TenantMismatchEvent(Instant timestamp, String sessionId, @Nullable String requestTenant,
		String clientIp) implements SessionGateEvent {

}
