package io.github.sessiongate.redis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionInfo;
import io.github.sessiongate.ledger.MetadataPolicy;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.testsupport.JettyTestServer;
import io.github.sessiongate.testsupport.RedisMonitor;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.github.sessiongate.testsupport.RedisTestSessions;
import io.github.sessiongate.testsupport.RedisTestSessions.Kind;
import io.github.sessiongate.testsupport.Resources;
import io.github.sessiongate.testsupport.TestClient;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's metadata a session keeps ({@code SessionGate.Builder#keptMetadata}):
 * set by the application through {@link SessionContext#withMetadata}, recorded bounded
 * when the request leaves, seen by the user's inventory on another node (Redis) and on
 * the one node of the memory ledger; hostile values never reach the store beyond the
 * bounds, and a request repeating what its session keeps writes nothing.
 */
class SessionMetadataIntegrationTests {

	private static final MetadataPolicy POLICY = MetadataPolicy.keep("plan", "note").withMaxValueLength(64);

	private final Resources resources = new Resources();

	private final String prefix = "md:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@AfterEach
	void close() throws Exception {
		this.resources.close();
	}

	@Test
	void keptMetadataWhenAppSetsItThenBoundedInRedisAndSeenOnTheOtherNodeWithOneWritePerChange() {
		LettuceConnectionFactory connectionFactory = this.resources.own(
				RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(), Duration.ofSeconds(2)),
				LettuceConnectionFactory::destroy);
		Node first = redisNode(connectionFactory);
		Node second = redisNode(connectionFactory);
		TestClient browser = new TestClient();
		assertThat(browser.get(first.server.uri("/login?user=alice")).statusCode()).isEqualTo(200);

		String hostile = "gold\r\n" + "x".repeat(100_000);
		assertThat(browser.post(first.server.uri("/tag"), "plan=" + encode(hostile) + "&secret=s3cr3t&note=%07hi")
			.statusCode()).isEqualTo(200);

		List<SessionInfo> listed = second.gate.inventory().sessionsOf("alice", browser.sessionId());
		assertThat(listed).singleElement()
			.satisfies((info) -> assertThat(info.metadata()).containsExactly(Map.entry("plan", "gold" + "x".repeat(58)),
					Map.entry("note", "hi")));
		assertThat(second.gate.admin().session(browser.sessionId()).orElseThrow().metadata())
			.isEqualTo(listed.get(0).metadata());
		// what Redis holds: the two kept entries, nothing of the secret, 64 characters at
		// most
		byte[] md;
		try (RedisConnection connection = connectionFactory.getConnection()) {
			md = connection.hashCommands()
				.hGet((this.prefix + "session:{" + browser.sessionId() + "}").getBytes(StandardCharsets.UTF_8),
						"md".getBytes(StandardCharsets.UTF_8));
		}
		assertThat(new String(md, StandardCharsets.UTF_8))
			.isEqualTo("plan\u001Fgold" + "x".repeat(58) + "\u001Enote\u001Fhi");

		// a request without metadata keeps what the session keeps; the same metadata
		// again costs no more round trips than that; a change costs one
		long plain = evalshas(() -> browser.get(first.server.uri("/whoami")));
		long same = evalshas(() -> browser.post(first.server.uri("/tag"), "plan=" + encode(hostile) + "&note=hi"));
		long changed = evalshas(() -> browser.post(first.server.uri("/tag"), "plan=silver"));
		assertThat(same).isEqualTo(plain);
		assertThat(changed).isEqualTo(plain + 1);
		assertThat(second.gate.inventory().sessionsOf("alice", null)).singleElement()
			.satisfies((info) -> assertThat(info.metadata()).containsExactly(Map.entry("plan", "silver"),
					Map.entry("note", "hi")));
	}

	@Test
	void keptMetadataWhenMemoryLedgerThenBoundedAndListed() {
		SessionRepository<? extends Session> repository = new MapSessionRepository(new ConcurrentHashMap<>());
		SessionGate gate = this.resources
			.own(SessionGate.builder(repository).keptMetadata(POLICY).sweepInterval(Duration.ZERO).build());
		JettyTestServer server = this.resources
			.own(JettyTestServer.start(gate.filter(), (context) -> routes(gate, context)));
		TestClient browser = new TestClient();
		browser.get(server.uri("/login?user=alice"));

		assertThat(browser.post(server.uri("/tag"), "plan=" + encode("\u0000gold" + "y".repeat(5000)) + "&secret=x")
			.statusCode()).isEqualTo(200);

		assertThat(gate.inventory().sessionsOf("alice", browser.sessionId())).singleElement()
			.satisfies((info) -> assertThat(info.metadata()).isEqualTo(Map.of("plan", "gold" + "y".repeat(59))));
	}

	private long evalshas(Runnable request) {
		RedisMonitor monitor = RedisMonitor.start(RedisTestServer.shared());
		try {
			request.run();
			monitor.stop(RedisTestServer.shared());
			return monitor.sent().getOrDefault("evalsha", 0L);
		}
		finally {
			monitor.close();
		}
	}

	private Node redisNode(LettuceConnectionFactory connectionFactory) {
		SessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build();
		SessionRepository<? extends Session> repository = RedisTestSessions.repository(Kind.SESSIONGATE,
				connectionFactory, (RedisSessionLedger) ledger, this.prefix + "sessions", Duration.ofMinutes(30));
		SessionGate gate = this.resources.own(SessionGate.builder(repository)
			.ledger(ledger)
			.keptMetadata(POLICY)
			.sweepInterval(Duration.ZERO)
			.build());
		JettyTestServer server = this.resources
			.own(JettyTestServer.start(gate.filter(), (context) -> routes(gate, context)));
		return new Node(server, gate);
	}

	private static void routes(SessionGate gate, ServletContextHandler context) {
		JettyTestServer.servlet(context, "/login", (request, response) -> {
			request.getSession(true);
			response.getWriter().print(gate.bindUser(request, request.getParameter("user")));
		});
		JettyTestServer.servlet(context, "/whoami",
				(request, response) -> response.getWriter().print(SessionContextHolder.requireContext().userId()));
		JettyTestServer.servlet(context, "/tag", (request, response) -> {
			SessionContext enriched = SessionContextHolder.requireContext();
			for (String name : List.of("plan", "secret", "note")) {
				String value = request.getParameter(name);
				if (value != null) {
					enriched = enriched.withMetadata(name, value);
				}
			}
			SessionContextHolder.setContext(enriched);
			response.getWriter().print("tagged");
		});
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	record Node(JettyTestServer server, SessionGate gate) {
	}

}
