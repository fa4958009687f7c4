package io.github.sessiongate.events;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the registered listeners, in registration order, isolating the
 * caller from listener failures.
 *
 * @author SessionGate team
 */
public final class SessionGateEvents {

	private static final Logger logger = LoggerFactory.getLogger(SessionGateEvents.class);

	private final List<SessionGateListener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Registers a listener.
	 * @param listener the listener
	 */
	public void addListener(SessionGateListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener cannot be null"));
	}

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	public void removeListener(SessionGateListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Whether any listener is registered (lets callers skip building an event).
	 * @return {@code true} if there is at least one listener
	 */
	public boolean hasListeners() {
		return !this.listeners.isEmpty();
	}

	/**
	 * Delivers an event to every listener.
	 * @param event the event
	 */
	public void publish(SessionGateEvent event) {
		for (SessionGateListener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("SessionGate listener {} failed on {}", listener, event.getClass().getSimpleName(), ex);
			}
		}
	}

}
