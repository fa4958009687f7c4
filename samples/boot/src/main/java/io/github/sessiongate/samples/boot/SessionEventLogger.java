package io.github.sessiongate.samples.boot;

import io.github.sessiongate.events.SessionEndedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs the end of every session: the starter publishes the gate's lifecycle events as
 * Spring application events.
 */
@Component
class SessionEventLogger {

	private static final Logger log = LoggerFactory.getLogger(SessionEventLogger.class);

	@EventListener
	void onEnded(SessionEndedEvent event) {
		log.info("session ended: {} {}", event.stats().status(), event.stats().endReason());
	}

}
