package io.github.sessiongate.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionLedgerContractTests;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.RedisKeysProbe;
import io.github.sessiongate.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis ledger against the shared ledger contract, on a real Redis server; after each
 * scenario every key the ledger wrote must carry a TTL.
 */
class RedisSessionLedgerContractTests extends SessionLedgerContractTests {

	private static LettuceConnectionFactory connectionFactory;

	private final List<String> prefixes = new ArrayList<>();

	@BeforeAll
	static void connect() {
		connectionFactory = RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(), Duration.ofSeconds(5));
		// connect and load the scripts before the timed scenarios start
		try (SessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix("warm-up:").build()) {
			ledger.find("warm-up");
			ledger.begin(new RequestStart("warm-up", null, Instant.now(), Duration.ofMillis(1), SessionLimits.none()));
		}
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected SessionLedger createLedger(Duration historyRetention) {
		String prefix = "contract:" + UUID.randomUUID().toString().substring(0, 8) + ":";
		this.prefixes.add(prefix);
		return RedisSessionLedger.builder(connectionFactory)
			.keyPrefix(prefix)
			.historyRetention(historyRetention)
			.build();
	}

	@AfterEach
	void everyKeyHasATtl() {
		for (String prefix : this.prefixes) {
			assertThat(RedisKeysProbe.keysWithoutTtl(connectionFactory, prefix)).as("keys without a TTL").isEmpty();
		}
	}

}
