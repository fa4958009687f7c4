package io.github.sessiongate.events;

import java.time.Instant;

/**
 * A user was bound to a session (login).
 *
 * @param timestamp when
 * @param sessionId the session id (after any rotation)
 * @param userId the user id
 * @author SessionGate team
 */
public record UserBoundEvent(Instant timestamp, String sessionId, String userId) implements SessionGateEvent {

}
