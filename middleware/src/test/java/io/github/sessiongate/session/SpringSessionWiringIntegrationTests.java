package io.github.sessiongate.session;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.TestClient;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wiring the plain Jetty guide shows, line for line, on a Redis of its own: a login
 * that sets the principal attribute and binds the user, the user's sessions found, Spring
 * Security's registry over them, and the events of a session from login to logout.
 */
class SpringSessionWiringIntegrationTests {

	@Test
	void guideWiringWhenUserLogsInAndOutThenFoundRegisteredAndEventsPublished() throws Exception {
		List<Object> events = new CopyOnWriteArrayList<>();
		ApplicationEventPublisher applicationEventPublisher = events::add;
		try (RedisTestServer redis = RedisTestServer.start()) {
			LettuceConnectionFactory connectionFactory = RedisSessionLedger.connectionFactory(redis.uri(),
					Duration.ofSeconds(2));
			RedisTemplate<String, Object> redisTemplate = new RedisTemplate<>();
			redisTemplate.setConnectionFactory(connectionFactory);
			redisTemplate.setKeySerializer(new StringRedisSerializer());
			redisTemplate.setHashKeySerializer(new StringRedisSerializer());
			redisTemplate.setHashValueSerializer(new JdkSerializationRedisSerializer());
			redisTemplate.afterPropertiesSet();

			RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).build();
			var sessions = new LedgerIndexedSessionRepository<>(new RedisSessionRepository(redisTemplate), ledger);
			SessionGate gate = SessionGate.builder(sessions)
				.ledger(ledger)
				.listener(new SpringSessionEventPublisher(applicationEventPublisher))
				.build();
			// from now on HttpSession.invalidate() ends the tracked session too
			sessions.endSessionsThrough(gate.admin());

			try (gate; JettyTestServer server = JettyTestServer.start(gate.filter(), (context) -> {
				JettyTestServer.servlet(context, "/login", (request, response) -> {
					String userId = request.getParameter("user");
					HttpSession session = request.getSession();
					session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, userId);
					gate.bindUser(request, userId);
					response.getWriter().print("welcome");
				});
				JettyTestServer.servlet(context, "/logout", (request, response) -> request.getSession().invalidate());
			})) {
				TestClient browser = new TestClient();
				assertThat(browser.get(server.uri("/login?user=alice")).statusCode()).isEqualTo(200);
				String id = browser.sessionId();

				// alice's live sessions, from any node
				var alices = sessions.findByPrincipalName("alice");
				// for Spring Security's maximumSessions(n)
				SessionRegistry registry = new SpringSessionBackedSessionRegistry<>(sessions);

				assertThat(alices.keySet()).containsExactly(id);
				assertThat(registry.getAllSessions("alice", false)).extracting(SessionInformation::getSessionId)
					.containsExactly(id);

				assertThat(browser.get(server.uri("/logout")).statusCode()).isEqualTo(200);
				assertThat(sessions.findByPrincipalName("alice")).isEmpty();
				assertThat(gate.admin().session(id)).hasValueSatisfying((stats) -> {
					assertThat(stats.status()).isEqualTo(SessionStatus.COMPLETED);
					assertThat(stats.endReason()).isEqualTo(LedgerIndexedSessionRepository.INVALIDATED_REASON);
				});
				assertThat(events).hasSize(2);
				assertThat(events.get(0)).isInstanceOf(SessionCreatedEvent.class);
				assertThat(events.get(1)).isInstanceOfSatisfying(SessionDeletedEvent.class,
						(deleted) -> assertThat(deleted.getSessionId()).isEqualTo(id));
			}
			finally {
				connectionFactory.destroy();
			}
		}
	}

}
