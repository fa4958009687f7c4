package io.github.sessiongate.autoconfigure;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.redis.SessionGateRedisSessionRepository;
import io.github.sessiongate.session.LedgerIndexedSessionRepository;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.testsupport.RedisTestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.SessionRepository;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's own concurrent session control ({@code maximumSessions(1)},
 * {@code maxSessionsPreventsLogin}, {@code expiredUrl}) across two Boot nodes on Tomcat
 * sharing a real Redis (standalone, and a 3-master cluster), through the registry the
 * starter provides over the ledger-indexed repository: no keyspace notifications, no
 * index keys.
 *
 * @author SessionGate team
 */
class SessionControlIntegrationTests {

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class WhenNewLoginExpiresTheOldest {

		SessionControlNodes cluster;

		@BeforeAll
		void start() {
			this.cluster = new SessionControlNodes(false);
		}

		@AfterAll
		void stop() {
			this.cluster.close();
		}

		@Test
		void nodesRunOnTomcat() {
			assertThat(((WebServerApplicationContext) this.cluster.node(0)).getWebServer())
				.isInstanceOf(TomcatWebServer.class);
		}

		@Test
		void loginWhenUserAtMaximumOnAnotherNodeThenOldestIsLoggedOutOnItsNextRequestAnywhere() throws Exception {
			oldestExpiredWithOneEventEach(this.cluster);
		}

		@Test
		void sessionsEndpointWhenUsernameGivenThenListsLiveSessionsFromAnyNode() throws Exception {
			TestBrowser browser = new TestBrowser();
			String id = browser.logIn(this.cluster.uri(0), "bob");
			HttpResponse<String> sessions = browser
				.send(HttpRequest.newBuilder(this.cluster.uri(1, "/actuator/sessions?username=bob"))
					.header("Authorization",
							"Basic " + Base64.getEncoder().encodeToString("ops:ops".getBytes(StandardCharsets.UTF_8))));
			assertThat(sessions.statusCode()).isEqualTo(200);
			assertThat(sessions.body()).contains("\"id\":\"" + id + "\"");
		}

	}

	/**
	 * The same as {@link WhenNewLoginExpiresTheOldest}, with sessions in SessionGate's
	 * own Redis session repository, on standalone Redis and on the 3-master cluster.
	 */
	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class WithSessionGatesOwnRepository {

		SessionControlNodes standalone;

		SessionControlNodes onCluster;

		@BeforeAll
		void start() {
			this.standalone = new SessionControlNodes(false, null, "sessiongate.redis.session-repository=sessiongate");
			this.onCluster = new SessionControlNodes(false, RedisTestCluster.start(),
					"sessiongate.redis.session-repository=sessiongate");
		}

		@AfterAll
		void stop() {
			this.standalone.close();
			this.onCluster.close();
		}

		@Test
		void sessionsAreStoredBySessionGatesRepository() {
			// (the primary repository bean indexes this one for Spring Security)
			SessionRepository<?> repository = this.standalone.node(0)
				.getBean("sessionRepository", SessionRepository.class);
			assertThat(repository).isInstanceOfSatisfying(GuardedSessionRepository.class,
					(guarded) -> assertThat(guarded.delegate()).isInstanceOf(SessionGateRedisSessionRepository.class));
		}

		@Test
		void loginWhenUserAtMaximumOnAnotherNodeThenOldestIsLoggedOutOnItsNextRequestAnywhere() throws Exception {
			oldestExpiredWithOneEventEach(this.standalone);
		}

		@Test
		void loginWhenUserAtMaximumOnAnotherNodeOfTheClusterThenOldestIsLoggedOut() throws Exception {
			oldestExpiredWithOneEventEach(this.onCluster);
		}

	}

	private static void oldestExpiredWithOneEventEach(SessionControlNodes cluster) throws Exception {
		long createdBefore = created(cluster).size();
		String[] ids = oldestExpiredByNewLogin(cluster);
		String firstId = ids[0];
		String secondId = ids[1];
		// Spring Session's events, once each across both nodes
		assertThat(events(cluster)).filteredOn(SessionDeletedEvent.class::isInstance)
			.extracting(AbstractSessionEvent::getSessionId)
			.containsOnlyOnce(firstId)
			.doesNotContain(secondId);
		// created once each, when the login first tracked the session: under the id it
		// had before Spring Security's fixation protection rotated it, as Spring
		// Session's own events are
		assertThat(created(cluster)).hasSize((int) createdBefore + 2).doesNotHaveDuplicates();
	}

	private static List<String> created(SessionControlNodes cluster) {
		return events(cluster).stream()
			.filter(SessionCreatedEvent.class::isInstance)
			.map(AbstractSessionEvent::getSessionId)
			.toList();
	}

	private static List<AbstractSessionEvent> events(SessionControlNodes cluster) {
		List<AbstractSessionEvent> events = new ArrayList<>();
		for (int node = 0; node < 2; node++) {
			events.addAll(cluster.node(node).getBean(SessionControlTestApplication.SessionEvents.class).events);
		}
		return events;
	}

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class OnRedisCluster {

		SessionControlNodes cluster;

		@BeforeAll
		void start() {
			this.cluster = new SessionControlNodes(false, RedisTestCluster.start());
		}

		@AfterAll
		void stop() {
			this.cluster.close();
		}

		@Test
		void loginWhenUserAtMaximumOnAnotherNodeThenOldestIsLoggedOutOnItsNextRequestAnywhere() throws Exception {
			oldestExpiredByNewLogin(this.cluster);
		}

	}

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class WhenMaximumPreventsLogin {

		SessionControlNodes cluster;

		@BeforeAll
		void start() {
			this.cluster = new SessionControlNodes(true);
		}

		@AfterAll
		void stop() {
			this.cluster.close();
		}

		@Test
		void loginWhenUserAtMaximumOnAnotherNodeThenRefusedUntilTheOtherLogsOut() throws Exception {
			TestBrowser first = new TestBrowser();
			TestBrowser second = new TestBrowser();
			first.logIn(this.cluster.uri(0), "alice");

			HttpResponse<String> refused = second.submitLogin(this.cluster.uri(1), "alice");
			assertThat(refused.statusCode()).isEqualTo(302);
			assertThat(refused.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
			assertThat(first.get(this.cluster.uri(1, "/context")).body()).contains("\"userId\":\"alice\"");
			// the refused login never bound the user in SessionGate either
			SessionGate gate = this.cluster.node(0).getBean(SessionGate.class);
			assertThat(gate.admin().sessionsOfUser("alice"))
				.filteredOn((stats) -> stats.status() == SessionStatus.ACTIVE)
				.hasSize(1);

			assertThat(first.logOut(this.cluster.uri(1)).statusCode()).isEqualTo(302);
			String secondId = second.logIn(this.cluster.uri(0), "alice");
			SessionRegistry registry = this.cluster.node(1).getBean(SessionRegistry.class);
			assertThat(registry.getAllSessions("alice", false)).extracting(SessionInformation::getSessionId)
				.containsExactly(secondId);
		}

	}

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class WhenBothLimitsAreSet {

		SessionControlNodes cluster;

		@BeforeAll
		void start() {
			// SessionGate's limit is the smaller: it decides, at login
			this.cluster = new SessionControlNodes(false, null, "test.maximum-sessions=2",
					"sessiongate.limits.max-sessions-per-user=1",
					"sessiongate.limits.sessions-per-user-policy=reject-new");
		}

		@AfterAll
		void stop() {
			this.cluster.close();
		}

		@Test
		void loginWhenOverSessionGatesLimitButUnderSpringSecuritysThenRefusedByTheGate() throws Exception {
			TestBrowser first = new TestBrowser();
			String firstId = first.logIn(this.cluster.uri(0), "alice");

			HttpResponse<String> refused = new TestBrowser().submitLogin(this.cluster.uri(1), "alice");
			assertThat(refused.statusCode()).isEqualTo(302);
			assertThat(refused.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));

			assertThat(first.get(this.cluster.uri(1, "/context")).body()).contains("\"userId\":\"alice\"");
			assertThat(this.cluster.node(1).getBean(SessionRegistry.class).getAllSessions("alice", false))
				.extracting(SessionInformation::getSessionId)
				.containsExactly(firstId);
			assertThat(this.cluster.node(0).getBean(SessionGate.class).admin().sessionsOfUser("alice"))
				.filteredOn((stats) -> stats.status() == SessionStatus.ACTIVE)
				.extracting(SessionStats::sessionId)
				.containsExactly(firstId);
		}

	}

	/**
	 * Alice logs in on node 0, then on node 1: her first session's next request, on the
	 * node that did not expire it, is redirected to the expired URL and that session
	 * ends; the registry of every node then sees only the second. After that, the first
	 * browser is logged out.
	 * @return the first and second session ids
	 */
	static String[] oldestExpiredByNewLogin(SessionControlNodes cluster) throws Exception {
		TestBrowser first = new TestBrowser();
		TestBrowser second = new TestBrowser();
		String firstId = first.logIn(cluster.uri(0), "alice");
		String secondId = second.logIn(cluster.uri(1), "alice");

		HttpResponse<String> expired = first.get(cluster.uri(1, "/context"));
		assertThat(expired.statusCode()).isEqualTo(302);
		assertThat(expired.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/expired"));
		HttpResponse<String> afterwards = first.get(cluster.uri(0, "/context"));
		assertThat(afterwards.statusCode()).isEqualTo(302);
		assertThat(afterwards.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/login"));
		assertThat(second.get(cluster.uri(0, "/context")).body()).contains("\"userId\":\"alice\"");

		SessionStats ended = cluster.node(0).getBean(SessionGate.class).admin().session(firstId).orElseThrow();
		assertThat(ended.status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(ended.endReason()).isEqualTo(LedgerIndexedSessionRepository.INVALIDATED_REASON);
		for (int node = 0; node < 2; node++) {
			SessionRegistry registry = cluster.node(node).getBean(SessionRegistry.class);
			assertThat(registry.getAllSessions("alice", false)).extracting(SessionInformation::getSessionId)
				.containsExactly(secondId);
		}
		return new String[] { firstId, secondId };
	}

}
