package io.github.sessiongate.session;

import java.util.Objects;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.events.SessionEndedEvent;
import io.github.sessiongate.events.SessionGateEvent;
import io.github.sessiongate.events.SessionGateListener;
import io.github.sessiongate.events.SessionStartedEvent;
import io.github.sessiongate.ledger.SessionStats;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.events.SessionExpiredEvent;

/**
 * Publishes Spring Session's lifecycle events from the gate's own, for repositories that
 * publish none (the in-memory {@code MapSessionRepository},
 * {@code RedisSessionRepository}, JDBC): a {@link SessionCreatedEvent} when the gate
 * starts tracking a session, a {@link SessionExpiredEvent} when it ends by idle or
 * absolute timeout (status {@link SessionStatus#EXPIRED}) and a
 * {@link SessionDeletedEvent} when it ends in any other way (invalidated at logout, ended
 * by an operator or a policy).
 *
 * <p>
 * Each event is published once per session across all nodes, by the node that observed
 * the start or the end: the ledger starts and ends a session atomically, and only the
 * caller that did so receives the gate's event. Listeners written for Spring Session
 * (e.g. {@code SessionEventHttpSessionListenerAdapter}) work unchanged. <pre>{@code
 * gate.addListener(new SpringSessionEventPublisher(applicationContext));
 * }</pre>
 *
 * <p>
 * The events carry a {@link MapSession} with the session's id, creation and last access
 * times and, when a user was bound, the
 * {@link FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME} attribute; an ended
 * session's other attributes are already deleted. Do not add it for a repository that
 * publishes these events itself ({@code RedisIndexedSessionRepository}): listeners would
 * receive them twice.
 *
 * @author SessionGate team
 */
public final class SpringSessionEventPublisher implements SessionGateListener {

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates the publisher.
	 * @param publisher where the events go (e.g. the application context)
	 */
	public SpringSessionEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = Objects.requireNonNull(publisher, "publisher cannot be null");
	}

	@Override
	public void onEvent(SessionGateEvent event) {
		if (event instanceof SessionStartedEvent started) {
			MapSession session = new MapSession(started.sessionId());
			session.setCreationTime(started.timestamp());
			session.setLastAccessedTime(started.timestamp());
			this.publisher.publishEvent(new SessionCreatedEvent(this, session));
		}
		else if (event instanceof SessionEndedEvent ended) {
			MapSession session = endedSession(ended.stats());
			this.publisher.publishEvent((ended.stats().status() == SessionStatus.EXPIRED)
					? new SessionExpiredEvent(this, session) : new SessionDeletedEvent(this, session));
		}
	}

	private static MapSession endedSession(SessionStats stats) {
		MapSession session = new MapSession(stats.sessionId());
		session.setCreationTime(stats.createdAt());
		session.setLastAccessedTime(stats.lastActivity());
		if (stats.userId() != null) {
			session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, stats.userId());
		}
		return session;
	}

}
