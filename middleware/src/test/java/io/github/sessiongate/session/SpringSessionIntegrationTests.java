package io.github.sessiongate.session;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisTestCluster;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.RedisTestSessions;
import io.github.sessiongate.testsupport.TestClient;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.events.SessionExpiredEvent;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Session made whole by SessionGate, through real Jetty nodes and real HTTP
 * clients, on the in-memory store (one node) and on a real Redis, standalone and a
 * 3-master cluster (two nodes each, with Spring Session Data Redis's plain
 * {@code RedisSessionRepository}, which has no index and publishes no events of its own).
 */
class SpringSessionIntegrationTests {

	private static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

	private static RedisTestCluster cluster;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final String prefix = "ss:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	/** A Redis of the test's own, instead of the shared one. */
	private RedisTestServer ownRedis;

	enum Store {

		MEMORY, REDIS, REDIS_CLUSTER

	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@ParameterizedTest
	@EnumSource(Store.class)
	void findByPrincipalNameWhenUsersLogInOnAnyNodeThenEveryNodeFindsTheirLiveSessions(Store store) {
		List<Node> nodes = nodes(store, SessionLimits.none());
		TestClient alice1 = new TestClient();
		TestClient alice2 = new TestClient();
		TestClient bob = new TestClient();
		TestClient anonymous = new TestClient();
		String a1 = logIn(alice1, nodes.get(0), nodes.get(last(nodes)), "alice");
		String a2 = logIn(alice2, nodes.get(last(nodes)), nodes.get(0), "alice");
		String b = logIn(bob, nodes.get(0), nodes.get(0), "bob");
		assertThat(anonymous.get(nodes.get(last(nodes)).uri("/hello")).statusCode()).isEqualTo(200);
		String anonymousId = anonymous.sessionId();

		for (Node node : nodes) {
			Map<String, ? extends Session> alices = node.repository.findByPrincipalName("alice");
			assertThat(alices.keySet()).containsExactlyInAnyOrder(a1, a2);
			assertThat(alices.values()).allSatisfy((session) -> {
				assertThat(session.<String>getAttribute(PRINCIPAL)).isEqualTo("alice");
				assertThat(session.<Integer>getAttribute("visits")).isNotNull();
			});
			assertThat(node.repository.findByPrincipalName("bob").keySet()).containsExactly(b);
			assertThat(node.repository.findByPrincipalName("carol")).isEmpty();
			assertThat(node.repository.findByIndexNameAndIndexValue("department", "alice")).isEmpty();
			assertThat(node.repository.findById(anonymousId)).isNotNull();
		}

		// logging out on the other node ends the session everywhere, at once
		assertThat(alice1.get(nodes.get(last(nodes)).uri("/logout")).statusCode()).isEqualTo(200);
		for (Node node : nodes) {
			assertThat(node.repository.findByPrincipalName("alice").keySet()).containsExactly(a2);
		}
		SessionStats ended = nodes.get(0).gate.admin().session(a1).orElseThrow();
		assertThat(ended.status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(ended.endReason()).isEqualTo(LedgerIndexedSessionRepository.INVALIDATED_REASON);
	}

	@ParameterizedTest
	@EnumSource(Store.class)
	void findByPrincipalNameWhenSessionNamesAnotherPrincipalThenNotFound(Store store) {
		List<Node> nodes = nodes(store, SessionLimits.none());
		TestClient browser = new TestClient();
		String id = logIn(browser, nodes.get(0), nodes.get(0), "alice");
		// the ledger still binds the session to alice until its next request, but the
		// session itself names dave now: it is not one of alice's
		assertThat(browser.get(nodes.get(last(nodes)).uri("/login?user=dave")).statusCode()).isEqualTo(200);
		assertThat(nodes.get(0).ledger.find(id).userId()).isEqualTo("alice");
		assertThat(nodes.get(0).repository.findByPrincipalName("alice")).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Store.class)
	void sessionRegistryWhenSessionExpiredNowThenHiddenFromLiveSessionsOnEveryNode(Store store) {
		List<Node> nodes = nodes(store, SessionLimits.none());
		String first = logIn(new TestClient(), nodes.get(0), nodes.get(0), "erin");
		String second = logIn(new TestClient(), nodes.get(last(nodes)), nodes.get(last(nodes)), "erin");
		SpringSessionBackedSessionRegistry<?> registry = new SpringSessionBackedSessionRegistry<>(
				nodes.get(0).repository);
		assertThat(registry.getAllSessions("erin", false)).extracting(SessionInformation::getSessionId)
			.containsExactlyInAnyOrder(first, second);

		registry.getSessionInformation(first).expireNow();

		for (Node node : nodes) {
			SpringSessionBackedSessionRegistry<?> nodeRegistry = new SpringSessionBackedSessionRegistry<>(
					node.repository);
			assertThat(nodeRegistry.getAllSessions("erin", false)).extracting(SessionInformation::getSessionId)
				.containsExactly(second);
			assertThat(nodeRegistry.getAllSessions("erin", true)).extracting(SessionInformation::getSessionId)
				.containsExactlyInAnyOrder(first, second);
			assertThat(nodeRegistry.getSessionInformation(first).isExpired()).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(Store.class)
	void eventsWhenSessionsEndEveryWayThenEachIsPublishedExactlyOnceAcrossNodes(Store store) throws Exception {
		endSessionsEveryWay(store, 50, () -> {
		}, false);
	}

	@Test
	void eventsWhenRedisRestartsWhileSessionsAreLiveThenNoneLostAndNoneDuplicated() throws Exception {
		// a Redis that keeps its data across a restart (append-only file)
		this.ownRedis = own(RedisTestServer.start("--appendonly", "yes", "--appendfsync", "always"));
		endSessionsEveryWay(Store.REDIS, 25, this.ownRedis::restart, true);
	}

	/**
	 * Ends {@code 4 * perWay} sessions by logout, operator, idle and absolute timeout,
	 * with every node sweeping all along, runs {@code midway} once the sessions exist,
	 * and checks that each start and end was published exactly once across the nodes.
	 */
	private void endSessionsEveryWay(Store store, int perWay, Runnable midway, boolean storeMayFail) throws Exception {
		List<Node> all = nodes(store, SessionLimits.builder().absoluteTimeout(Duration.ofSeconds(8)).build(), true);
		// the last node's repository gives new sessions one idle second; it shares the
		// store with the others
		Node shortIdle = all.get(last(all));
		List<Node> nodes = all.subList(0, last(all));
		List<String> loggedOut = new ArrayList<>();
		List<String> ended = new ArrayList<>();
		List<String> idle = new ArrayList<>();
		List<String> aged = new ArrayList<>();
		// every node sweeps on its own schedule all along, as in production: idle
		// sessions end about a second after their last request, aged ones at 8 seconds
		List<Sweeper> sweepers = all.stream().map(Sweeper::new).toList();
		for (int i = 0; i < 4 * perWay; i++) {
			Node here = nodes.get(i % nodes.size());
			Node there = nodes.get((i + 1) % nodes.size());
			TestClient browser = new TestClient();
			String id = (i % 4 != 2) ? logIn(browser, here, there, "user" + (i % 10)) : null;
			switch (i % 4) {
				case 0 -> {
					assertThat(browser.get(there.uri("/logout")).statusCode()).isEqualTo(200);
					loggedOut.add(id);
				}
				case 1 -> {
					assertThat(here.gate.admin().endSession(id, SessionStatus.COMPLETED, "admin")).isPresent();
					ended.add(id);
				}
				case 2 -> idle.add(logIn(new TestClient(), shortIdle, there, "user" + (i % 10)));
				default -> aged.add(id);
			}
		}
		midway.run();
		try {
			Await.until("all sessions ended", Duration.ofSeconds(60), () -> noLiveSessions(nodes.get(0)));
		}
		finally {
			sweepers.forEach(Sweeper::stop);
		}
		if (!storeMayFail) {
			assertThat(sweepers).allSatisfy((sweeper) -> assertThat(sweeper.failures).isZero());
		}

		List<AbstractSessionEvent> events = new ArrayList<>();
		all.forEach((node) -> events.addAll(node.events));
		Map<Class<?>, List<String>> byType = events.stream()
			.collect(Collectors.groupingBy(Object::getClass,
					Collectors.mapping(AbstractSessionEvent::getSessionId, Collectors.toList())));
		assertThat(byType.get(SessionCreatedEvent.class)).hasSize(4 * perWay).doesNotHaveDuplicates();
		List<String> deleted = byType.get(SessionDeletedEvent.class);
		assertThat(deleted).hasSize(2 * perWay)
			.doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(concat(loggedOut, ended));
		List<String> expired = byType.get(SessionExpiredEvent.class);
		assertThat(expired).hasSize(2 * perWay)
			.doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(concat(idle, aged));
		assertThat(events).hasSize(8 * perWay);
		assertThat(new HashSet<>(byType.get(SessionCreatedEvent.class)))
			.isEqualTo(new HashSet<>(concat(concat(loggedOut, ended), concat(idle, aged))));
		// every end is the one the ledger recorded
		Map<String, String> reasons = new ConcurrentHashMap<>();
		for (String id : concat(concat(loggedOut, ended), concat(idle, aged))) {
			reasons.put(id, nodes.get(0).ledger.find(id).endReason());
		}
		assertThat(loggedOut).allSatisfy((id) -> assertThat(reasons.get(id)).isEqualTo("invalidated"));
		assertThat(ended).allSatisfy((id) -> assertThat(reasons.get(id)).isEqualTo("admin"));
		assertThat(idle).allSatisfy((id) -> assertThat(reasons.get(id)).isEqualTo("idle-timeout"));
		assertThat(aged).allSatisfy((id) -> assertThat(reasons.get(id)).isEqualTo("absolute-timeout"));
		// the deleted and expired events carry the user, as Spring Session's do
		assertThat(events).filteredOn((event) -> !(event instanceof SessionCreatedEvent))
			.allSatisfy((event) -> assertThat(event.getSession().<String>getAttribute(PRINCIPAL)).startsWith("user"));
		for (String id : concat(loggedOut, ended)) {
			assertThat(nodes.get(0).repository.findById(id)).isNull();
		}
	}

	private static boolean noLiveSessions(Node node) {
		try {
			return node.gate.admin().sessionsWithStatus(SessionStatus.ACTIVE, 1000).isEmpty();
		}
		catch (RuntimeException ex) {
			return false; // the store is restarting: ask again
		}
	}

	/**
	 * Sweeps one node every 50 ms on a thread of its own until stopped.
	 */
	private static final class Sweeper {

		private final Thread thread;

		private volatile boolean running = true;

		volatile int failures;

		Sweeper(Node node) {
			this.thread = new Thread(() -> {
				while (this.running) {
					try {
						node.gate.sweep();
					}
					catch (RuntimeException ex) {
						// the store is down: the production sweeper logs and tries again
						this.failures++;
					}
					try {
						Thread.sleep(50);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "test-sweeper");
			this.thread.start();
		}

		void stop() {
			this.running = false;
			try {
				this.thread.join(TimeUnit.SECONDS.toMillis(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	private static <T> List<T> concat(List<T> first, List<T> second) {
		List<T> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	private static int last(List<Node> nodes) {
		return nodes.size() - 1;
	}

	/**
	 * Creates a session on one node, logs the user in on another and lets the gate bind
	 * the user on the next request (on the first node again).
	 */
	private static String logIn(TestClient browser, Node first, Node second, String user) {
		assertThat(browser.get(first.uri("/hello")).statusCode()).isEqualTo(200);
		assertThat(browser.get(second.uri("/login?user=" + user)).statusCode()).isEqualTo(200);
		assertThat(browser.get(first.uri("/hello")).statusCode()).isEqualTo(200);
		String id = browser.sessionId();
		assertThat(first.ledger.find(id).userId()).isEqualTo(user);
		return id;
	}

	private List<Node> nodes(Store store, SessionLimits limits) {
		return nodes(store, limits, false);
	}

	/**
	 * One node on memory, two on Redis; with {@code shortIdleNode} one more, sharing the
	 * store, whose new sessions have one idle second.
	 */
	private List<Node> nodes(Store store, SessionLimits limits, boolean shortIdleNode) {
		List<Node> nodes = new ArrayList<>();
		int count = ((store == Store.MEMORY) ? 1 : 2) + (shortIdleNode ? 1 : 0);
		Map<String, Session> memory = new ConcurrentHashMap<>();
		InMemorySessionLedger memoryLedger = new InMemorySessionLedger();
		for (int i = 0; i < count; i++) {
			Duration idle = (shortIdleNode && i == count - 1) ? Duration.ofSeconds(1) : Duration.ofMinutes(30);
			switch (store) {
				case MEMORY -> {
					MapSessionRepository sessions = new MapSessionRepository(memory);
					sessions.setDefaultMaxInactiveInterval(idle);
					nodes.add(node(sessions, memoryLedger, limits));
				}
				case REDIS ->
					nodes.add(redisNode(own(RedisSessionLedger.connectionFactory(redis().uri(), Duration.ofSeconds(2)),
							LettuceConnectionFactory::destroy), limits, idle));
				case REDIS_CLUSTER -> {
					if (cluster == null) {
						cluster = RedisTestCluster.start();
					}
					nodes.add(redisNode(own(cluster.newConnectionFactory(), LettuceConnectionFactory::destroy), limits,
							idle));
				}
			}
		}
		return nodes;
	}

	private RedisTestServer redis() {
		return (this.ownRedis != null) ? this.ownRedis : RedisTestServer.shared();
	}

	private Node redisNode(LettuceConnectionFactory connectionFactory, SessionLimits limits, Duration idle) {
		return node(RedisTestSessions.repository(connectionFactory, this.prefix + "sessions", idle),
				RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build(), limits);
	}

	private <S extends Session> Node node(SessionRepository<S> sessions, SessionLedger ledger, SessionLimits limits) {
		LedgerIndexedSessionRepository<S> repository = new LedgerIndexedSessionRepository<>(sessions, ledger);
		ConcurrentLinkedQueue<AbstractSessionEvent> events = new ConcurrentLinkedQueue<>();
		SessionGate gate = own(SessionGate.builder(repository)
			.ledger(ledger)
			.limits(limits)
			.creationPolicy(CreationPolicy.ALWAYS)
			.sweepInterval(Duration.ZERO)
			.userIdResolver((request) -> {
				HttpSession session = request.getSession(false);
				return (session != null) ? (String) session.getAttribute(PRINCIPAL) : null;
			})
			.listener(new SpringSessionEventPublisher((event) -> events.add((AbstractSessionEvent) event)))
			.build());
		repository.endSessionsThrough(gate.admin());
		JettyTestServer server = own(JettyTestServer.start(gate.filter(), (context) -> {
			JettyTestServer.servlet(context, "/hello", (request, response) -> {
				HttpSession session = request.getSession();
				Integer visits = session.getAttribute("visits") instanceof Integer count ? count : 0;
				session.setAttribute("visits", visits + 1);
				response.getWriter().print("hello");
			});
			JettyTestServer.servlet(context, "/login", (request, response) -> {
				request.getSession().setAttribute(PRINCIPAL, request.getParameter("user"));
				response.getWriter().print("logged in");
			});
			JettyTestServer.servlet(context, "/logout", (request, response) -> {
				request.getSession().invalidate();
				response.getWriter().print("bye");
			});
		}));
		return new Node(server, gate, repository, ledger, events);
	}

	private <T extends AutoCloseable> T own(T resource) {
		this.resources.add(resource);
		return resource;
	}

	private <T> T own(T resource, java.util.function.Consumer<T> closer) {
		this.resources.add(() -> closer.accept(resource));
		return resource;
	}

	record Node(JettyTestServer server, SessionGate gate, LedgerIndexedSessionRepository<?> repository,
			SessionLedger ledger, ConcurrentLinkedQueue<AbstractSessionEvent> events) {

		URI uri(String path) {
			return this.server.uri(path);
		}

	}

}
