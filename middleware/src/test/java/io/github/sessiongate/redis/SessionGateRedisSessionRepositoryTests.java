package io.github.sessiongate.redis;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.redis.SessionGateRedisSessionRepository.GateSession;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.RedisCommandStats;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestCluster;
import io.github.sessiongate.testsupport.RedisTestServer;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link SessionGateRedisSessionRepository} on a real Redis (and a real three-master
 * Redis Cluster) against the contract of Spring Session Data Redis's
 * {@code RedisSessionRepository}: a saved session reads back with its id, times, interval
 * and attributes, stored as a hash whose TTL is its idle timeout; unknown, malformed and
 * expired ids find nothing; removed attributes leave Redis; a save never brings back a
 * session deleted meanwhile; an id change moves the data without losing another node's
 * concurrent writes, on a cluster too; flush and save modes write what Spring Session's
 * would; a save with nothing to write sends no command; and many threads on two
 * repositories keep their sessions apart. One test goes through the ledger's request
 * start and end, whose script saves the session: the repository must learn of that save
 * even when the ledger's record is gone. "Another node" is a second repository on its own
 * ledger with the same key prefix.
 */
class SessionGateRedisSessionRepositoryTests {

	private static final Duration INTERVAL = Duration.ofMinutes(20);

	private static LettuceConnectionFactory connectionFactory;

	private final List<RedisSessionLedger> ledgers = new ArrayList<>();

	private final String prefix = "repo-tests:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@BeforeAll
	static void connect() {
		connectionFactory = RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(), Duration.ofSeconds(5));
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@AfterEach
	void closeAndClean() {
		this.ledgers.forEach(RedisSessionLedger::close);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			for (String key : RedisKeysProbe.keys(connectionFactory, this.prefix)) {
				connection.keyCommands().del(bytes(key));
			}
		}
	}

	// ---- create, save, find

	@Test
	void saveWhenNewThenFindByIdOnAnotherNodeReturnsSameSessionAndHashExpiresAfterInterval() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		Cart cart = new Cart("alice", new ArrayList<>(List.of("book", "pen")), new BigDecimal("12.50"));
		session.setAttribute("name", "Alice");
		session.setAttribute("visits", 42);
		session.setAttribute("balance", 9_000_000_000L);
		session.setAttribute("admin", Boolean.TRUE);
		session.setAttribute("roles", new ArrayList<>(List.of("user", "editor")));
		session.setAttribute("cart", cart);
		session.setAttribute("größe", "äöü €");
		repository.save(session);

		GateSession found = repository().findById(session.getId());
		assertThat(found).isNotNull();
		assertThat(found.getId()).isEqualTo(session.getId());
		assertThat(found.getCreationTime()).isEqualTo(session.getCreationTime().truncatedTo(ChronoUnit.MILLIS));
		assertThat(found.getLastAccessedTime()).isEqualTo(session.getLastAccessedTime().truncatedTo(ChronoUnit.MILLIS));
		assertThat(found.getMaxInactiveInterval()).isEqualTo(INTERVAL);
		assertThat(found.getAttributeNames()).containsExactlyInAnyOrder("name", "visits", "balance", "admin", "roles",
				"cart", "größe");
		assertThat(found.<String>getAttribute("name")).isEqualTo("Alice");
		assertThat(found.<Integer>getAttribute("visits")).isEqualTo(42);
		assertThat(found.<Long>getAttribute("balance")).isEqualTo(9_000_000_000L);
		assertThat(found.<Boolean>getAttribute("admin")).isTrue();
		assertThat(found.<List<String>>getAttribute("roles")).containsExactly("user", "editor");
		assertThat(found.<Cart>getAttribute("cart")).isEqualTo(cart).isNotSameAs(cart);
		assertThat(found.<String>getAttribute("größe")).isEqualTo("äöü €");
		assertThat(found.isExpired()).isFalse();

		String key = repository.dataKey(session.getId());
		assertThat(key).isEqualTo(this.prefix + "session:{" + session.getId() + "}:data");
		Map<String, String> metadata = new HashMap<>();
		hash(key).forEach((field, value) -> metadata.put(field, new String(value, StandardCharsets.UTF_8)));
		assertThat(metadata).containsEntry("creationTime", Long.toString(session.getCreationTime().toEpochMilli()))
			.containsEntry("lastAccessedTime", Long.toString(session.getLastAccessedTime().toEpochMilli()))
			.containsEntry("maxInactiveInterval", Long.toString(INTERVAL.getSeconds()));
		assertThat(hash(key).keySet()).containsExactlyInAnyOrder("creationTime", "lastAccessedTime",
				"maxInactiveInterval", "sessionAttr:name", "sessionAttr:visits", "sessionAttr:balance",
				"sessionAttr:admin", "sessionAttr:roles", "sessionAttr:cart", "sessionAttr:größe");
		assertThat(pttl(key)).isBetween(INTERVAL.minusSeconds(10).toMillis(), INTERVAL.toMillis());
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).containsExactly(key);
	}

	@Test
	void saveWhenLastAccessedTimeOrIntervalChangesThenTtlFollowsLastAccessPlusInterval() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		repository.save(session);
		String key = repository.dataKey(session.getId());

		GateSession found = repository.findById(session.getId());
		found.setLastAccessedTime(Instant.now().minus(Duration.ofMinutes(5)));
		repository.save(found);
		long expected = INTERVAL.minusMinutes(5).toMillis();
		assertThat(pttl(key)).isBetween(expected - 10_000, expected);

		found = repository.findById(session.getId());
		found.setMaxInactiveInterval(Duration.ofHours(2));
		repository.save(found);
		expected = Duration.ofHours(2).minusMinutes(5).toMillis();
		assertThat(pttl(key)).isBetween(expected - 10_000, expected);
		assertThat(repository().findById(session.getId()).getMaxInactiveInterval()).isEqualTo(Duration.ofHours(2));
	}

	@Test
	void saveWhenMaxInactiveIntervalNegativeThenNoTtlAndSessionNeverExpires() {
		SessionGateRedisSessionRepository forever = repository(
				(builder) -> builder.defaultMaxInactiveInterval(Duration.ofSeconds(-1)));
		GateSession session = forever.createSession();
		session.setLastAccessedTime(Instant.now().minus(Duration.ofDays(400)));
		session.setAttribute("a", "b");
		forever.save(session);
		String key = forever.dataKey(session.getId());
		assertThat(pttl(key)).isEqualTo(-1);
		GateSession found = repository().findById(session.getId());
		assertThat(found).isNotNull();
		assertThat(found.getMaxInactiveInterval()).isNegative();
		assertThat(found.isExpired()).isFalse();
		assertThat(found.<String>getAttribute("a")).isEqualTo("b");

		// a session with a TTL that becomes timeless loses its TTL, and the other way
		// round
		SessionGateRedisSessionRepository repository = repository();
		GateSession timed = repository.createSession();
		repository.save(timed);
		String timedKey = repository.dataKey(timed.getId());
		assertThat(pttl(timedKey)).isPositive();
		timed.setMaxInactiveInterval(Duration.ofSeconds(-1));
		repository.save(timed);
		assertThat(pttl(timedKey)).isEqualTo(-1);
		timed.setMaxInactiveInterval(INTERVAL);
		timed.setLastAccessedTime(Instant.now());
		repository.save(timed);
		assertThat(pttl(timedKey)).isBetween(INTERVAL.minusSeconds(10).toMillis(), INTERVAL.toMillis());
	}

	@Test
	void findByIdWhenDataWasWrittenWithAnotherSerializerThenNullInsteadOfFailing() {
		SessionGateRedisSessionRepository jdk = repository();
		GateSession session = jdk.createSession();
		session.setAttribute("cart", new Cart("alice", new ArrayList<>(List.of("book")), BigDecimal.ONE));
		jdk.save(session);

		// a serializer of another format, which refuses bytes it did not write (as
		// Jackson's refuses JDK serialization)
		RedisSerializer<Object> text = new RedisSerializer<>() {

			@Override
			public byte[] serialize(Object value) {
				return ("text:" + value).getBytes(StandardCharsets.UTF_8);
			}

			@Override
			public Object deserialize(byte[] bytes) {
				String value = new String(bytes, StandardCharsets.UTF_8);
				if (!value.startsWith("text:")) {
					throw new SerializationException("not written by this serializer");
				}
				return value.substring(5);
			}

		};
		SessionGateRedisSessionRepository other = repository((builder) -> builder.serializer(text));
		assertThat(other.findById(session.getId())).isNull();
		// the data is left to expire; the repository that wrote it still reads it
		assertThat(jdk.findById(session.getId())).isNotNull();
	}

	@Test
	void settersWhenCalledByACustomizerThenApplyToNewSessionsAndSaves() {
		SessionGateRedisSessionRepository repository = repository();
		repository.setDefaultMaxInactiveInterval(Duration.ofMinutes(5));
		repository.setSessionIdGenerator(() -> "custom-" + UUID.randomUUID());
		repository.setFlushMode(FlushMode.IMMEDIATE);
		GateSession session = repository.createSession();
		assertThat(session.getId()).startsWith("custom-");
		assertThat(session.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
		session.setAttribute("flushed", "at once");
		assertThat(repository().findById(session.getId()).<String>getAttribute("flushed")).isEqualTo("at once");
	}

	@Test
	void findByIdWhenUnknownIdThenNull() {
		SessionGateRedisSessionRepository repository = repository();
		assertThat(repository.findById(UUID.randomUUID().toString())).isNull();
		repository.deleteById(UUID.randomUUID().toString());
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).isEmpty();
	}

	@Test
	void findByIdWhenIdHasBracesOrIsEmptyThenNullAndNothingWritten() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		session.setAttribute("a", "b");
		repository.save(session);
		String id = session.getId();
		String key = repository.dataKey(id);
		Map<String, byte[]> stored = hash(key);

		// a live session's data planted under the key each such id would name: the
		// repository must not even look it up, nor delete it
		List<String> malformed = List.of("", "{", "}", "{}", "{" + id + "}", id + "}", "{" + id, "a{b}c");
		List<String> expectedKeys = new ArrayList<>(List.of(key));
		try (RedisConnection connection = connectionFactory.getConnection()) {
			for (String bad : malformed) {
				String planted = this.prefix + "session:{" + bad + "}:data";
				Map<byte[], byte[]> fields = new HashMap<>();
				stored.forEach((field, value) -> fields.put(bytes(field), value));
				connection.hashCommands().hMSet(bytes(planted), fields);
				expectedKeys.add(planted);
			}
		}
		for (String bad : malformed) {
			assertThat(repository.findById(bad)).as("findById(\"%s\")", bad).isNull();
			repository.deleteById(bad);
		}
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix))
			.containsExactlyInAnyOrderElementsOf(expectedKeys);
		for (String planted : expectedKeys) {
			assertThat(text(hash(planted))).as(planted).isEqualTo(text(stored));
		}
		assertThat(repository.findById(id).<String>getAttribute("a")).isEqualTo("b");
	}

	// ---- attributes removed

	@Test
	void removeAttributeThenSaveDeletesTheFieldInRedis() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		session.setAttribute("keep", "k");
		session.setAttribute("drop", "d");
		repository.save(session);
		String key = repository.dataKey(session.getId());
		assertThat(hash(key)).containsKey("sessionAttr:drop");

		GateSession found = repository.findById(session.getId());
		found.removeAttribute("drop");
		repository.save(found);
		assertThat(hash(key)).doesNotContainKey("sessionAttr:drop").containsKey("sessionAttr:keep");
		assertThat(repository().findById(session.getId()).getAttributeNames()).containsExactly("keep");
	}

	@Test
	void setAttributeToNullThenSaveDeletesTheFieldInRedis() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		session.setAttribute("keep", "k");
		session.setAttribute("drop", "d");
		repository.save(session);
		String key = repository.dataKey(session.getId());

		GateSession found = repository.findById(session.getId());
		found.setAttribute("drop", null);
		repository.save(found);
		assertThat(hash(key)).doesNotContainKey("sessionAttr:drop").containsKey("sessionAttr:keep");
		assertThat(repository().findById(session.getId()).getAttributeNames()).containsExactly("keep");

		// set and removed before the first save: never written
		GateSession fresh = repository.createSession();
		fresh.setAttribute("transient", "t");
		fresh.removeAttribute("transient");
		repository.save(fresh);
		assertThat(hash(repository.dataKey(fresh.getId()))).doesNotContainKey("sessionAttr:transient");
	}

	// ---- expiry

	@Test
	void saveWhenLastAccessPlusIntervalIsPastThenFindByIdNullAndKeyGone() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession fresh = repository.createSession();
		fresh.setLastAccessedTime(Instant.now().minus(INTERVAL).minusSeconds(1));
		fresh.setAttribute("a", "b");
		repository.save(fresh);
		assertThat(exists(repository.dataKey(fresh.getId()))).isFalse();
		assertThat(repository.findById(fresh.getId())).isNull();

		GateSession stored = repository.createSession();
		repository.save(stored);
		GateSession found = repository.findById(stored.getId());
		found.setLastAccessedTime(Instant.EPOCH);
		repository.save(found);
		assertThat(exists(repository.dataKey(stored.getId()))).isFalse();
		assertThat(repository().findById(stored.getId())).isNull();
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).isEmpty();
	}

	@Test
	void findByIdWhenStoredLastAccessIsPastIntervalThoughKeyLivesThenNullAndDeletesKey() {
		// the hash says the session timed out, while its key has no TTL (as after a node
		// with a clock ahead wrote it): the load must not hand the session out
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		session.setAttribute("a", "b");
		repository.save(session);
		String key = repository.dataKey(session.getId());
		long past = Instant.now().minus(INTERVAL).minusSeconds(1).toEpochMilli();
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.hashCommands().hSet(bytes(key), bytes("lastAccessedTime"), bytes(Long.toString(past)));
			connection.keyCommands().persist(bytes(key));
		}
		assertThat(repository.findById(session.getId())).isNull();
		assertThat(exists(key)).isFalse();

		// an id change of a session that timed out in Redis does not bring it back
		GateSession other = repository.createSession();
		repository.save(other);
		GateSession loaded = repository.findById(other.getId());
		String otherKey = repository.dataKey(other.getId());
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.hashCommands().hSet(bytes(otherKey), bytes("lastAccessedTime"), bytes(Long.toString(past)));
		}
		String newId = loaded.changeSessionId();
		assertThatIllegalStateException().isThrownBy(() -> repository.save(loaded))
			.withMessage("Session was invalidated");
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).isEmpty();
		assertThat(repository.findById(newId)).isNull();
	}

	// ---- deleted meanwhile

	@Test
	void saveWhenSessionDeletedMeanwhileThenThrowsAndWritesNothing() {
		SessionGateRedisSessionRepository repository = repository();
		SessionGateRedisSessionRepository otherNode = repository();
		GateSession session = repository.createSession();
		session.setAttribute("a", "b");
		repository.save(session);
		GateSession loaded = repository.findById(session.getId());
		String key = repository.dataKey(session.getId());

		otherNode.deleteById(session.getId());
		assertThat(exists(key)).isFalse();
		session.setAttribute("c", "d");
		assertThatIllegalStateException().isThrownBy(() -> repository.save(session))
			.withMessage("Session was invalidated");
		loaded.setLastAccessedTime(Instant.now());
		assertThatIllegalStateException().isThrownBy(() -> repository.save(loaded))
			.withMessage("Session was invalidated");
		assertThat(exists(key)).isFalse();
		assertThat(repository.findById(session.getId())).isNull();

		// documented difference: nothing to write, so no exception, and still nothing
		// written
		GateSession unchanged = repository.createSession();
		repository.save(unchanged);
		GateSession unchangedLoaded = repository.findById(unchanged.getId());
		otherNode.deleteById(unchanged.getId());
		repository.save(unchangedLoaded);
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).isEmpty();
	}

	@Test
	void saveWhenSessionDeletedMeanwhileAndIdChangedThenThrowsAndWritesNeitherId() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		repository.save(session);
		String oldId = session.getId();
		repository().deleteById(oldId);
		session.setAttribute("a", "b");
		String newId = session.changeSessionId();
		assertThatIllegalStateException().isThrownBy(() -> repository.save(session))
			.withMessage("Session was invalidated");
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).isEmpty();
		assertThat(repository.findById(newId)).isNull();
		assertThat(repository.findById(oldId)).isNull();
	}

	@Test
	void deleteByIdThenFindByIdNullAndDeletingAgainIsHarmless() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		repository.save(session);
		repository.deleteById(session.getId());
		assertThat(repository.findById(session.getId())).isNull();
		repository.deleteById(session.getId());
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).isEmpty();
	}

	// ---- id changes

	@Test
	void changeSessionIdThenSaveMovesDataToNewIdAndLeavesNoneUnderOld() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		session.setAttribute("a", "1");
		session.setAttribute("b", "2");
		repository.save(session);
		String oldId = session.getId();

		GateSession loaded = repository.findById(oldId);
		loaded.setAttribute("a", "changed");
		loaded.removeAttribute("b");
		loaded.setAttribute("c", "3");
		String newId = loaded.changeSessionId();
		assertThat(newId).isNotEqualTo(oldId).isEqualTo(loaded.getId());
		repository.save(loaded);

		assertThat(exists(repository.dataKey(oldId))).isFalse();
		assertThat(repository.findById(oldId)).isNull();
		GateSession moved = repository().findById(newId);
		assertThat(moved).isNotNull();
		assertThat(moved.getCreationTime()).isEqualTo(session.getCreationTime().truncatedTo(ChronoUnit.MILLIS));
		assertThat(moved.getMaxInactiveInterval()).isEqualTo(INTERVAL);
		assertThat(attributes(moved)).isEqualTo(Map.of("a", "changed", "c", "3"));
		assertThat(pttl(repository.dataKey(newId))).isBetween(INTERVAL.minusSeconds(10).toMillis(),
				INTERVAL.toMillis());
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).containsExactly(repository.dataKey(newId));

		// saved again with nothing changed: stays where it is
		repository.save(loaded);
		assertThat(repository.findById(newId)).isNotNull();
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).containsExactly(repository.dataKey(newId));
	}

	@Test
	void changeSessionIdTwiceBeforeSaveThenOnlyLastIdHoldsData() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		session.setAttribute("a", "1");
		repository.save(session);
		String firstId = session.getId();
		session.setAttribute("a", "2");
		String secondId = session.changeSessionId();
		session.setAttribute("a", "3");
		String thirdId = session.changeSessionId();
		repository.save(session);
		assertThat(repository.findById(firstId)).isNull();
		assertThat(repository.findById(secondId)).isNull();
		assertThat(repository.findById(thirdId).<String>getAttribute("a")).isEqualTo("3");
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).containsExactly(repository.dataKey(thirdId));
	}

	@Test
	void changeSessionIdOfNewSessionThenSavedOnlyUnderNewId() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		String oldId = session.getId();
		session.setAttribute("a", "1");
		String newId = session.changeSessionId();
		repository.save(session);
		assertThat(repository.findById(oldId)).isNull();
		assertThat(repository.findById(newId).<String>getAttribute("a")).isEqualTo("1");
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).containsExactly(repository.dataKey(newId));
	}

	@Test
	void changeSessionIdWhenAnotherNodeWroteOldIdAfterLoadThenItsAttributeSurvivesTheMove() {
		SessionGateRedisSessionRepository repository = repository();
		SessionGateRedisSessionRepository otherNode = repository();
		assertAnotherNodesWriteSurvivesMove(repository, otherNode);
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).hasSize(1);
	}

	@Test
	void changeSessionIdOnTwoCopiesThenSecondSaveThrowsAndFirstIdWins() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		session.setAttribute("a", "1");
		repository.save(session);
		String oldId = session.getId();
		GateSession first = repository.findById(oldId);
		GateSession second = repository().findById(oldId);
		first.setAttribute("b", "2");
		String firstId = first.changeSessionId();
		repository.save(first);
		second.setAttribute("c", "3");
		String secondId = second.changeSessionId();
		assertThatIllegalStateException().isThrownBy(() -> repository.save(second))
			.withMessage("Session was invalidated");
		assertThat(repository.findById(oldId)).isNull();
		assertThat(repository.findById(secondId)).isNull();
		assertThat(attributes(repository.findById(firstId))).isEqualTo(Map.of("a", "1", "b", "2"));
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).containsExactly(repository.dataKey(firstId));
	}

	@Test
	void repositoryWhenOnClusterThenCreateFindChangeIdAndDeleteWorkAcrossSlots() {
		try (RedisTestCluster cluster = RedisTestCluster.start()) {
			List<LettuceConnectionFactory> nodes = cluster.nodes()
				.stream()
				.map((node) -> RedisSessionLedger.connectionFactory(node.uri(), Duration.ofSeconds(5)))
				.toList();
			try {
				SessionGateRedisSessionRepository repository = repository(cluster.connectionFactory(),
						UnaryOperator.identity());
				SessionGateRedisSessionRepository otherNode = repository(cluster.connectionFactory(),
						UnaryOperator.identity());
				int crossSlotMoves = 0;
				List<String> ids = new ArrayList<>();
				for (int i = 0; i < 12; i++) {
					GateSession session = repository.createSession();
					session.setAttribute("index", i);
					repository.save(session);
					String oldId = session.getId();

					GateSession found = otherNode.findById(oldId);
					assertThat(found.<Integer>getAttribute("index")).isEqualTo(i);
					found.setAttribute("seen", true);
					String newId = found.changeSessionId();
					otherNode.save(found);
					crossSlotMoves += (slot(repository.dataKey(oldId)) != slot(repository.dataKey(newId))) ? 1 : 0;

					assertThat(repository.findById(oldId)).isNull();
					assertThat(attributes(repository.findById(newId))).isEqualTo(Map.of("index", i, "seen", true));
					ids.add(newId);
				}
				assertThat(crossSlotMoves).as("id changes between slots").isPositive();
				int mastersWithData = 0;
				for (LettuceConnectionFactory node : nodes) {
					List<String> keys = RedisKeysProbe.keys(node, this.prefix);
					mastersWithData += keys.isEmpty() ? 0 : 1;
					assertThat(RedisKeysProbe.keysWithoutTtl(node, this.prefix)).isEmpty();
				}
				assertThat(mastersWithData).as("masters holding sessions").isGreaterThan(1);

				assertAnotherNodesWriteSurvivesMove(repository, otherNode);

				for (String id : ids) {
					repository.deleteById(id);
					assertThat(otherNode.findById(id)).isNull();
				}
				long left = nodes.stream().mapToLong((node) -> RedisKeysProbe.keys(node, this.prefix).size()).sum();
				assertThat(left).as("keys left besides the one of the survival check").isEqualTo(1);
			}
			finally {
				this.ledgers.forEach(RedisSessionLedger::close);
				this.ledgers.clear();
				nodes.forEach(LettuceConnectionFactory::destroy);
			}
		}
	}

	// ---- flush and save modes

	@Test
	void flushModeImmediateThenEveryChangeIsVisibleToAnotherNodeWithoutSave() {
		SessionGateRedisSessionRepository immediate = repository((builder) -> builder.flushMode(FlushMode.IMMEDIATE));
		SessionGateRedisSessionRepository otherNode = repository();
		GateSession session = immediate.createSession();
		assertThat(otherNode.findById(session.getId())).as("created at once").isNotNull();

		session.setAttribute("a", "1");
		assertThat(otherNode.findById(session.getId()).<String>getAttribute("a")).isEqualTo("1");
		session.setMaxInactiveInterval(Duration.ofMinutes(5));
		assertThat(otherNode.findById(session.getId()).getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
		assertThat(pttl(immediate.dataKey(session.getId())))
			.isBetween(Duration.ofMinutes(5).minusSeconds(10).toMillis(), Duration.ofMinutes(5).toMillis());
		session.removeAttribute("a");
		assertThat(otherNode.findById(session.getId()).getAttributeNames()).isEmpty();

		// an id change is written with the next change
		String oldId = session.getId();
		String newId = session.changeSessionId();
		session.setAttribute("b", "2");
		assertThat(otherNode.findById(oldId)).isNull();
		assertThat(otherNode.findById(newId).<String>getAttribute("b")).isEqualTo("2");
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).containsExactly(immediate.dataKey(newId));
	}

	@Test
	void saveModeOnSetAttributeThenKeepsAnotherNodesConcurrentChangeOfOtherAttributes() {
		Map<String, Object> stored = concurrentChange(repository());
		assertThat(stored).isEqualTo(Map.of("x", "other", "y", "mine", "z", "other"));
	}

	@Test
	void saveModeAlwaysThenWritesEveryAttributeOverAnotherNodesChange() {
		Map<String, Object> stored = concurrentChange(repository((builder) -> builder.saveMode(SaveMode.ALWAYS)));
		assertThat(stored).isEqualTo(Map.of("x", "x0", "y", "mine", "z", "z0"));
	}

	@Test
	void saveModeOnGetAttributeThenWritesAttributesThatWereRead() {
		Map<String, Object> stored = concurrentChange(
				repository((builder) -> builder.saveMode(SaveMode.ON_GET_ATTRIBUTE)));
		// x was read, so written back; z was not
		assertThat(stored).isEqualTo(Map.of("x", "x0", "y", "mine", "z", "other"));
	}

	@Test
	void saveWhenTwoCopiesChangeDifferentAttributesThenBothKeptAndLastAccessFromLastSave() {
		SessionGateRedisSessionRepository repository = repository();
		GateSession session = repository.createSession();
		session.setAttribute("a", "1");
		repository.save(session);
		GateSession first = repository.findById(session.getId());
		GateSession second = repository().findById(session.getId());
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		first.setLastAccessedTime(now.plusSeconds(1));
		first.setAttribute("b", "2");
		repository.save(first);
		second.setLastAccessedTime(now.plusSeconds(2));
		second.setAttribute("c", "3");
		repository.save(second);
		GateSession found = repository.findById(session.getId());
		assertThat(found.getLastAccessedTime()).isEqualTo(now.plusSeconds(2));
		assertThat(attributes(found)).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
	}

	// ---- round trips

	@Test
	void saveWhenNothingChangedThenSendsNoCommand() {
		try (RedisTestServer redis = RedisTestServer.start()) {
			LettuceConnectionFactory own = RedisSessionLedger.connectionFactory(redis.uri(), Duration.ofSeconds(5));
			try {
				SessionGateRedisSessionRepository repository = repository(own, UnaryOperator.identity());
				GateSession session = repository.createSession();
				session.setAttribute("a", "1");
				repository.save(session);
				GateSession loaded = repository.findById(session.getId());
				// the ledger's connection check at start-up (a PING from a thread of its
				// own) comes before the count, however late that thread runs
				Await.until("the start-up PING", () -> RedisCommandStats.calls(own).getOrDefault("ping", 0L) >= 1);

				Map<String, Long> before = RedisCommandStats.calls(own);
				repository.save(session);
				repository.save(loaded);
				assertThat(loaded.<String>getAttribute("a")).isEqualTo("1");
				assertThat(loaded.getAttributeNames()).containsExactly("a");
				repository.save(loaded);
				Map<String, Long> after = RedisCommandStats.calls(own);
				assertThat(RedisCommandStats.grown(before, after)).as("commands sent by saves with nothing to write")
					.isEmpty();

				// the count does see a save that writes: one script call
				loaded.setAttribute("a", "2");
				repository.save(loaded);
				repository.save(loaded);
				Map<String, Long> written = RedisCommandStats.grown(after, RedisCommandStats.calls(own));
				assertThat(written).containsEntry("evalsha", 1L).doesNotContainKey("eval");
				assertThat(repository.findById(session.getId()).<String>getAttribute("a")).isEqualTo("2");
			}
			finally {
				this.ledgers.forEach(RedisSessionLedger::close);
				this.ledgers.clear();
				own.destroy();
			}
		}
	}

	// ---- the end of a gated request

	@Test
	void requestEndWhenLedgerRecordGoneThenSavesChangesAndLaterSaveDoesNotBringBackDeletedSession() {
		RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix(this.prefix).build();
		this.ledgers.add(ledger);
		SessionGateRedisSessionRepository repository = SessionGateRedisSessionRepository.builder(ledger)
			.defaultMaxInactiveInterval(INTERVAL)
			.build();
		GateSession session = repository.createSession();
		String id = session.getId();
		Admission admission = ledger
			.begin(new RequestStart(id, null, session.getCreationTime(), INTERVAL, SessionLimits.none()));
		assertThat(admission).isInstanceOf(Admission.Admitted.class);
		session.setAttribute("a", "1");
		// the ledger's record vanishes while the request runs (expired, or lost by Redis)
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.keyCommands().del(bytes(this.prefix + "session:{" + id + "}"));
		}

		// the end of the request saves the session in the script that ends it
		ledger.end(((Admission.Admitted) admission).permit(), new RequestOutcome(1_000, false));
		assertThat(repository().findById(id).<String>getAttribute("a")).isEqualTo("1");

		// and the repository knows it: Spring Session's commit after the request has
		// nothing left to write, so it cannot bring back a session deleted meanwhile
		repository().deleteById(id);
		repository.save(session);
		assertThat(exists(repository.dataKey(id))).isFalse();
	}

	// ---- concurrency

	@Test
	void manyThreadsWhenCreatingSavingFindingChangingIdsAndDeletingThenEachSessionKeepsItsOwnAttributes()
			throws Exception {
		SessionGateRedisSessionRepository first = repository();
		SessionGateRedisSessionRepository second = repository();
		int threads = 8;
		int sessionsPerThread = 50;
		RedisGateIntegrationTests.runConcurrently(threads, (thread) -> {
			for (int i = 0; i < sessionsPerThread; i++) {
				SessionGateRedisSessionRepository creator = (i % 2 == 0) ? first : second;
				SessionGateRedisSessionRepository user = (i % 2 == 0) ? second : first;
				String owner = thread + "/" + i;
				GateSession session = creator.createSession();
				session.setAttribute("owner", owner);
				session.setAttribute("payload", new Cart(owner, new ArrayList<>(List.of(owner)), BigDecimal.ONE));
				creator.save(session);

				GateSession found = user.findById(session.getId());
				assertThat(found).as("session %s", owner).isNotNull();
				assertThat(found.<String>getAttribute("owner")).isEqualTo(owner);
				found.setAttribute("seen", owner);
				String oldId = found.getId();
				String newId = found.changeSessionId();
				user.save(found);

				assertThat(creator.findById(oldId)).as("old id of %s", owner).isNull();
				GateSession moved = creator.findById(newId);
				assertThat(moved).as("new id of %s", owner).isNotNull();
				assertThat(attributes(moved)).isEqualTo(Map.of("owner", owner, "payload",
						new Cart(owner, new ArrayList<>(List.of(owner)), BigDecimal.ONE), "seen", owner));
				creator.deleteById(newId);
				assertThat(user.findById(newId)).as("deleted %s", owner).isNull();
			}
		});
		assertThat(RedisKeysProbe.keys(connectionFactory, this.prefix)).filteredOn((key) -> key.endsWith(":data"))
			.isEmpty();
	}

	// ---- helpers

	/**
	 * Node one loads a session; node two then writes attribute {@code other} under the
	 * old id; node one changes the id and saves: {@code other} must be under the new id.
	 */
	private static void assertAnotherNodesWriteSurvivesMove(SessionGateRedisSessionRepository repository,
			SessionGateRedisSessionRepository otherNode) {
		GateSession session = repository.createSession();
		session.setAttribute("a", "1");
		repository.save(session);
		String oldId = session.getId();
		GateSession loaded = repository.findById(oldId);

		GateSession elsewhere = otherNode.findById(oldId);
		elsewhere.setAttribute("other", "written meanwhile");
		otherNode.save(elsewhere);

		loaded.setAttribute("mine", "2");
		String newId = loaded.changeSessionId();
		repository.save(loaded);
		assertThat(otherNode.findById(oldId)).isNull();
		assertThat(attributes(otherNode.findById(newId)))
			.isEqualTo(Map.of("a", "1", "other", "written meanwhile", "mine", "2"));
	}

	/**
	 * A session with x, y, z stored; this node loads it and reads x; another node sets x
	 * and z; this node sets y and saves.
	 * @return the attributes stored in the end
	 */
	private Map<String, Object> concurrentChange(SessionGateRedisSessionRepository repository) {
		SessionGateRedisSessionRepository otherNode = repository();
		GateSession session = repository.createSession();
		session.setAttribute("x", "x0");
		session.setAttribute("y", "y0");
		session.setAttribute("z", "z0");
		repository.save(session);
		GateSession mine = repository.findById(session.getId());
		assertThat(mine.<String>getAttribute("x")).isEqualTo("x0");

		GateSession theirs = otherNode.findById(session.getId());
		theirs.setAttribute("x", "other");
		theirs.setAttribute("z", "other");
		otherNode.save(theirs);

		mine.setAttribute("y", "mine");
		repository.save(mine);
		return attributes(repository().findById(session.getId()));
	}

	private SessionGateRedisSessionRepository repository() {
		return repository(UnaryOperator.identity());
	}

	private SessionGateRedisSessionRepository repository(
			UnaryOperator<SessionGateRedisSessionRepository.Builder> settings) {
		return repository(connectionFactory, settings);
	}

	/** A repository on a ledger of its own (one per simulated node), same prefix. */
	private SessionGateRedisSessionRepository repository(RedisConnectionFactory factory,
			UnaryOperator<SessionGateRedisSessionRepository.Builder> settings) {
		RedisSessionLedger ledger = RedisSessionLedger.builder(factory).keyPrefix(this.prefix).build();
		this.ledgers.add(ledger);
		return settings.apply(SessionGateRedisSessionRepository.builder(ledger).defaultMaxInactiveInterval(INTERVAL))
			.build();
	}

	private static Map<String, Object> attributes(GateSession session) {
		assertThat(session).isNotNull();
		Map<String, Object> attributes = new HashMap<>();
		for (String name : session.getAttributeNames()) {
			attributes.put(name, session.getAttribute(name));
		}
		return attributes;
	}

	private static Map<String, byte[]> hash(String key) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			Map<byte[], byte[]> entries = connection.hashCommands().hGetAll(bytes(key));
			Map<String, byte[]> hash = new HashMap<>();
			if (entries != null) {
				entries.forEach((field, value) -> hash.put(new String(field, StandardCharsets.UTF_8), value));
			}
			return hash;
		}
	}

	private static Map<String, String> text(Map<String, byte[]> hash) {
		Map<String, String> text = new HashMap<>();
		hash.forEach((field, value) -> text.put(field, HexFormat.of().formatHex(value)));
		return text;
	}

	private static long pttl(String key) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return connection.keyCommands().pTtl(bytes(key));
		}
	}

	private static boolean exists(String key) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return Boolean.TRUE.equals(connection.keyCommands().exists(bytes(key)));
		}
	}

	private static int slot(String key) {
		return SlotHash.getSlot(bytes(key));
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** A serializable attribute value with fields of several types. */
	record Cart(String owner, List<String> items, BigDecimal total) implements Serializable {
	}

}
