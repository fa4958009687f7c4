package io.github.sessiongate.events;

import java.time.Instant;

/**
 * Something that happened in the gate. Delivered synchronously, on the thread that caused
 * it, to every registered {@link SessionGateListener}.
 *
 * @author SessionGate team
 */
public sealed interface SessionGateEvent permits SessionStartedEvent, UserBoundEvent, SessionEndedEvent,
		RequestRejectedEvent, RequestCompletedEvent, StoreFailureEvent, TenantMismatchEvent, StreamClosedEvent {

	/**
	 * When the event happened.
	 * @return the timestamp
	 */
	Instant timestamp();

}
