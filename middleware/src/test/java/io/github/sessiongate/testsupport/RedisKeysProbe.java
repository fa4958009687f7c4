package io.github.sessiongate.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

/**
 * Looks at the keys a test wrote (with {@code SCAN}, never {@code KEYS}).
 */
public final class RedisKeysProbe {

	private RedisKeysProbe() {
	}

	/**
	 * Keys under a prefix.
	 * @param connectionFactory a standalone connection factory
	 * @param prefix the key prefix
	 * @return the keys
	 */
	public static List<String> keys(RedisConnectionFactory connectionFactory, String prefix) {
		List<String> keys = new ArrayList<>();
		try (RedisConnection connection = connectionFactory.getConnection();
				Cursor<byte[]> cursor = connection.keyCommands()
					.scan(ScanOptions.scanOptions().match(prefix + "*").count(1000).build())) {
			cursor.forEachRemaining((key) -> keys.add(new String(key, StandardCharsets.UTF_8)));
		}
		return keys;
	}

	/**
	 * Leases under a prefix that have not expired: permits some node holds.
	 * @param connectionFactory a standalone connection factory
	 * @param prefix the ledger's key prefix
	 * @return the number of unexpired leases, by Redis time
	 */
	public static long liveLeases(RedisConnectionFactory connectionFactory, String prefix) {
		long total = 0;
		try (RedisConnection connection = connectionFactory.getConnection()) {
			Long now = connection.serverCommands().time();
			for (String key : keys(connectionFactory, prefix)) {
				if (key.endsWith(":leases")) {
					Long live = connection.zSetCommands()
						.zCount(key.getBytes(StandardCharsets.UTF_8), (double) now + 1, Double.POSITIVE_INFINITY);
					total += (live != null) ? live : 0;
				}
			}
		}
		return total;
	}

	/**
	 * Keys under a prefix that would live forever.
	 * @param connectionFactory a standalone connection factory
	 * @param prefix the key prefix
	 * @return the keys with no TTL
	 */
	public static List<String> keysWithoutTtl(RedisConnectionFactory connectionFactory, String prefix) {
		List<String> forever = new ArrayList<>();
		try (RedisConnection connection = connectionFactory.getConnection()) {
			for (String key : keys(connectionFactory, prefix)) {
				Long ttl = connection.keyCommands().pTtl(key.getBytes(StandardCharsets.UTF_8));
				if (ttl != null && ttl == -1) {
					forever.add(key);
				}
			}
		}
		return forever;
	}

}
