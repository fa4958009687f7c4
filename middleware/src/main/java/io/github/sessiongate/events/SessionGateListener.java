package io.github.sessiongate.events;

/**
 * Receives gate events synchronously on the thread that caused them. Keep it cheap: it
 * runs on the request path. An exception thrown by a listener is logged and does not
 * reach the request or other listeners.
 *
 * @author SessionGate team
 */
@FunctionalInterface
public interface SessionGateListener {

	/**
	 * Handles one event.
	 * @param event the event
	 */
	void onEvent(SessionGateEvent event);

}
