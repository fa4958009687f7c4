package io.github.sessiongate.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.events.RequestCompletedEvent;
import io.github.sessiongate.events.SessionEndedEvent;
import io.github.sessiongate.events.SessionStartedEvent;
import io.github.sessiongate.events.UserBoundEvent;
import io.github.sessiongate.ledger.SessionStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionExpiredEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpringSessionEventPublisher}: which Spring Session event each gate
 * event becomes.
 */
class SpringSessionEventPublisherTests {

	private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");

	private static final Instant LAST = Instant.parse("2026-11-22T10:20:00Z");

	private final List<Object> published = new ArrayList<>();

	private final SpringSessionEventPublisher publisher = new SpringSessionEventPublisher(this.published::add);

	@Test
	void onEventWhenSessionStartedThenPublishesCreatedWithIdAndTime() {
		this.publisher.onEvent(new SessionStartedEvent(CREATED, "s-1", null, "203.0.113.9", "curl"));
		assertThat(this.published).singleElement().isInstanceOfSatisfying(SessionCreatedEvent.class, (event) -> {
			assertThat(event.getSessionId()).isEqualTo("s-1");
			assertThat(event.getSession().getCreationTime()).isEqualTo(CREATED);
			assertThat(event.getSource()).isSameAs(this.publisher);
		});
	}

	@ParameterizedTest
	@CsvSource({ "EXPIRED, idle-timeout, SessionExpiredEvent", "EXPIRED, absolute-timeout, SessionExpiredEvent",
			"COMPLETED, invalidated, SessionDeletedEvent", "COMPLETED, admin, SessionDeletedEvent",
			"COMPLETED, session-limit, SessionDeletedEvent", "FAILED, error-rate, SessionDeletedEvent" })
	void onEventWhenSessionEndedThenExpiredOnlyForTimeouts(SessionStatus status, String reason, String expected) {
		this.publisher.onEvent(new SessionEndedEvent(LAST, ended("s-2", "alice", status, reason)));
		assertThat(this.published).singleElement().satisfies((event) -> {
			assertThat(event.getClass().getSimpleName()).isEqualTo(expected);
			AbstractSessionEvent sessionEvent = (AbstractSessionEvent) event;
			assertThat(sessionEvent.getSessionId()).isEqualTo("s-2");
			assertThat(sessionEvent.getSession().getCreationTime()).isEqualTo(CREATED);
			assertThat(sessionEvent.getSession().getLastAccessedTime()).isEqualTo(LAST);
			assertThat(sessionEvent.getSession()
				.<String>getAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME)).isEqualTo("alice");
		});
	}

	@Test
	void onEventWhenAnonymousSessionEndedThenNoPrincipalAttribute() {
		this.publisher.onEvent(new SessionEndedEvent(LAST, ended("s-3", null, SessionStatus.EXPIRED, "idle-timeout")));
		assertThat(this.published).singleElement()
			.isInstanceOfSatisfying(SessionExpiredEvent.class,
					(event) -> assertThat(event.getSession().getAttributeNames()).isEmpty());
	}

	@Test
	void onEventWhenOtherGateEventsThenPublishesNothing() {
		this.publisher.onEvent(new UserBoundEvent(LAST, "s-4", "alice"));
		this.publisher.onEvent(new RequestCompletedEvent(LAST, "s-4", 200, 1000, null));
		assertThat(this.published).isEmpty();
	}

	private static SessionStats ended(String id, String userId, SessionStatus status, String reason) {
		return new SessionStats(id, null, userId, status, reason, CREATED, LAST, LAST, 0, 3, 0, 0,
				Duration.ofMillis(30), Duration.ofMillis(20));
	}

}
