package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.events.RequestCompletedEvent;
import io.github.sessiongate.events.SessionGateEvent;
import io.github.sessiongate.events.SessionGateListener;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the gate's lifecycle events (session started, user bound, session ended,
 * request rejected, store failure) as Spring application events, so that
 * {@code @EventListener} methods taking the event type receive them. Per-request
 * completion events stay with gate listeners and metrics: publishing them through the
 * application context would put a multicast on every request.
 *
 * @author SessionGate team
 */
final class ApplicationEventPublishingListener implements SessionGateListener {

	private final ApplicationEventPublisher publisher;

	ApplicationEventPublishingListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onEvent(SessionGateEvent event) {
		if (!(event instanceof RequestCompletedEvent)) {
			this.publisher.publishEvent(event);
		}
	}

}
