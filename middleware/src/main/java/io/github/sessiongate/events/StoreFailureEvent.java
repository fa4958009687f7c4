package io.github.sessiongate.events;

import java.time.Instant;

/**
 * A call to the session store failed (for example Redis was unreachable).
 *
 * @param timestamp when
 * @param operation the ledger operation, e.g. {@code begin}
 * @param error what went wrong
 * @author SessionGate team
 */
public record StoreFailureEvent(Instant timestamp, String operation, Throwable error) implements SessionGateEvent {

}
