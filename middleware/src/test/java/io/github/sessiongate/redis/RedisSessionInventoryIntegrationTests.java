package io.github.sessiongate.redis;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionInfo;
import io.github.sessiongate.SessionInventory;
import io.github.sessiongate.events.SessionEndedEvent;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestCluster;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.RedisTestSessions;
import io.github.sessiongate.testsupport.RedisTestSessions.Kind;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import io.github.sessiongate.web.ClientIpPolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's inventory of sessions across two Jetty nodes sharing a real Redis (standalone
 * with both session repositories, and a three-master Cluster): listing with origins,
 * ending one by reference and ending all others, seen from the clients' side.
 */
class RedisSessionInventoryIntegrationTests {

	private static RedisTestCluster cluster;

	private final Resources resources = new Resources();

	private final List<SessionEndedEvent> ended = new CopyOnWriteArrayList<>();

	private final String prefix = "inv:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@BeforeAll
	static void startCluster() {
		cluster = RedisTestCluster.start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@AfterEach
	void close() throws Exception {
		this.resources.close();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void inventoryWhenOneUserOnThreeBrowsersAcrossTwoNodesThenListsEndsOneAndEndsOthersEverywhere(Backend backend)
			throws Exception {
		Node first = node(backend);
		Node second = node(backend);
		TestClient laptop = new TestClient();
		TestClient phone = new TestClient();
		TestClient tablet = new TestClient();
		TestClient bob = new TestClient();
		login(laptop, first, "alice", "laptop-1", "Firefox/140");
		login(phone, second, "alice", "phone-7", "Mobile Safari/18");
		login(tablet, first, "alice", "tablet-3", "x".repeat(5000));
		login(bob, second, "bob", "bob-pc", "Edge/140");
		String bobReference = SessionIds.shortForm(bob.sessionId());

		List<SessionInfo> listed = first.gate.inventory().sessionsOf("alice", laptop.sessionId());
		assertThat(listed).hasSize(3);
		assertThat(listed).filteredOn(SessionInfo::caller)
			.singleElement()
			.satisfies((info) -> assertThat(info.deviceId()).isEqualTo("laptop-1"));
		assertThat(listed).extracting(SessionInfo::deviceId)
			.containsExactlyInAnyOrder("laptop-1", "phone-7", "tablet-3");
		// the default policy keeps the network (/24) only; the user agent is cut
		assertThat(listed).extracting(SessionInfo::clientIp).containsOnly("127.0.0.0");
		assertThat(listed).filteredOn((info) -> "tablet-3".equals(info.deviceId()))
			.singleElement()
			.satisfies((info) -> assertThat(info.userAgent()).hasSize(256));
		assertThat(listed).extracting(SessionInfo::lastActivity).isSortedAccordingTo((a, b) -> b.compareTo(a));
		assertThat(second.gate.inventory().sessionsOf("alice", null)).extracting(SessionInfo::reference)
			.containsExactlyInAnyOrderElementsOf(listed.stream().map(SessionInfo::reference).toList());

		// a foreign, unknown or malformed reference is refused the same way, through HTTP
		assertThat(body(laptop.get(second.server.uri("/end?ref=" + bobReference)))).isEqualTo("false");
		assertThat(body(laptop.get(second.server.uri("/end?ref=000000000000")))).isEqualTo("false");
		assertThat(laptop.get(second.server.uri("/end?ref=%3Cscript%3E")).statusCode()).isEqualTo(200);
		assertThat(body(bob.get(first.server.uri("/whoami")))).isEqualTo("bob");

		String phoneReference = SessionIds.shortForm(phone.sessionId());
		assertThat(body(laptop.get(first.server.uri("/end?ref=" + phoneReference)))).isEqualTo("true");
		assertThat(body(phone.get(second.server.uri("/whoami")))).isEqualTo("anonymous");
		assertThat(body(phone.get(first.server.uri("/whoami")))).isEqualTo("anonymous");

		assertThat(body(laptop.get(second.server.uri("/end-others")))).isEqualTo("1");
		assertThat(body(tablet.get(first.server.uri("/whoami")))).isEqualTo("anonymous");
		assertThat(body(tablet.get(second.server.uri("/whoami")))).isEqualTo("anonymous");
		assertThat(body(laptop.get(first.server.uri("/whoami")))).isEqualTo("alice");
		assertThat(body(laptop.get(second.server.uri("/sessions")))).isEqualTo("1 caller");
		assertThat(body(bob.get(second.server.uri("/whoami")))).isEqualTo("bob");

		assertThat(this.ended).extracting(SessionEndedEvent::stats)
			.filteredOn((stats) -> "ended-by-user".equals(stats.endReason()))
			.extracting(SessionStats::userId)
			.containsExactly("alice", "alice");
		assertThat(RedisKeysProbe.keysWithoutTtl(first.connectionFactory, this.prefix)).isEmpty();
	}

	private static void login(TestClient client, Node node, String user, String device, String agent) {
		HttpResponse<String> response = client.get(node.server.uri("/login?user=" + user),
				Map.of("X-Device-Id", device, "User-Agent", agent));
		assertThat(response.statusCode()).isEqualTo(200);
	}

	private static String body(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private Node node(Backend backend) {
		LettuceConnectionFactory connectionFactory = this.resources.own(
				(backend == Backend.CLUSTER) ? cluster.newConnectionFactory()
						: RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(), Duration.ofSeconds(2)),
				LettuceConnectionFactory::destroy);
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build();
		SessionRepository<? extends Session> repository = RedisTestSessions.repository(backend.kind, connectionFactory,
				ledger, this.prefix + "sessions", Duration.ofMinutes(30));
		SessionGate gate = this.resources.own(SessionGate.builder(repository)
			.ledger(ledger)
			.deviceHeader("X-Device-Id")
			.inventoryClientIp(ClientIpPolicy.NETWORK)
			.sweepInterval(Duration.ZERO)
			.listener((event) -> {
				if (event instanceof SessionEndedEvent end) {
					this.ended.add(end);
				}
			})
			.build());
		SessionInventory inventory = gate.inventory();
		JettyTestServer server = this.resources.own(JettyTestServer.start(gate.filter(), (context) -> {
			JettyTestServer.servlet(context, "/login", (request, response) -> {
				request.getSession(true);
				response.getWriter().print(gate.bindUser(request, request.getParameter("user")));
			});
			JettyTestServer.servlet(context, "/whoami", (request, response) -> {
				String user = user(request);
				response.getWriter().print((user != null) ? user : "anonymous");
			});
			JettyTestServer.servlet(context, "/sessions", (request, response) -> {
				List<SessionInfo> sessions = inventory.sessionsOf(user(request), sessionId(request));
				response.getWriter()
					.print(sessions.size() + " "
							+ sessions.stream()
								.map((info) -> info.caller() ? "caller" : "other")
								.collect(Collectors.joining(",")));
			});
			JettyTestServer.servlet(context, "/end", (request, response) -> response.getWriter()
				.print(inventory.endSession(user(request), request.getParameter("ref"))));
			JettyTestServer.servlet(context, "/end-others", (request, response) -> response.getWriter()
				.print(inventory.endOtherSessions(user(request), sessionId(request))));
		}));
		return new Node(server, gate, connectionFactory);
	}

	private static String user(HttpServletRequest request) {
		SessionContext context = SessionContextHolder.getContext();
		return (context != null) ? context.userId() : null;
	}

	private static String sessionId(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return (session != null) ? session.getId() : null;
	}

	enum Backend {

		STANDALONE_SPRING_SESSION(Kind.SPRING_SESSION), STANDALONE_SESSIONGATE(Kind.SESSIONGATE),
		CLUSTER_SESSIONGATE(Kind.SESSIONGATE);

		static final Backend CLUSTER = CLUSTER_SESSIONGATE;

		final Kind kind;

		Backend(Kind kind) {
			this.kind = kind;
		}

	}

	record Node(JettyTestServer server, SessionGate gate, LettuceConnectionFactory connectionFactory) {
	}

}
