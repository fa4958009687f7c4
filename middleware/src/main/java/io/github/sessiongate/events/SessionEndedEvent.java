package io.github.sessiongate.events;

import java.time.Instant;

import io.github.sessiongate.ledger.SessionStats;

/**
 * A session ended; {@link SessionStats#status()} and {@link SessionStats#endReason()} say
 * how and why, and the rest of the stats are the session's final figures.
 *
 * @param timestamp when
 * @param stats the final stats
 * @author SessionGate team
 */
public record SessionEndedEvent(Instant timestamp, SessionStats stats) implements SessionGateEvent {

}
