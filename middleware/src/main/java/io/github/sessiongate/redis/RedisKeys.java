package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names the ledger's keys. Every key carries a hash tag, so the keys one script touches
 * share a Redis Cluster slot: a session's keys are tagged with its id, a user's with the
 * user id, and the indexes of all sessions with {@code {index}}.
 *
 * <pre>
 * {prefix}session:{id}           hash        the session's record
 * {prefix}session:{id}:leases    sorted set  permits of requests in progress, scored by lease deadline
 * {prefix}session:{id}:moved     string      the new id after a rotation (for requests in progress)
 * {prefix}user:{id}:live         sorted set  the user's live sessions, scored by bind time
 * {prefix}user:{id}:ended        sorted set  the user's ended sessions still in history
 * {prefix}{index}:live           sorted set  live sessions ("id tenant"), scored by next sweep check
 * {prefix}{index}:counts         hash        live sessions per tenant
 * {prefix}{index}:history        sorted set  ended sessions, scored by end time
 * </pre>
 *
 * @author SessionGate team
 */
final class RedisKeys {

	private final String prefix;

	private final byte[] indexLive;

	private final byte[] indexCounts;

	private final byte[] indexHistory;

	RedisKeys(String prefix) {
		if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
			throw new IllegalArgumentException("keyPrefix must not contain '{' or '}', was '" + prefix + "'");
		}
		this.prefix = prefix;
		this.indexLive = bytes(prefix + "{index}:live");
		this.indexCounts = bytes(prefix + "{index}:counts");
		this.indexHistory = bytes(prefix + "{index}:history");
	}

	String prefix() {
		return this.prefix;
	}

	byte[] session(String sessionId) {
		return bytes(this.prefix + "session:{" + sessionId + "}");
	}

	byte[] leases(String sessionId) {
		return bytes(this.prefix + "session:{" + sessionId + "}:leases");
	}

	byte[] moved(String sessionId) {
		return bytes(this.prefix + "session:{" + sessionId + "}:moved");
	}

	byte[] userLive(String userId) {
		return bytes(this.prefix + "user:{" + userId + "}:live");
	}

	byte[] userEnded(String userId) {
		return bytes(this.prefix + "user:{" + userId + "}:ended");
	}

	byte[] indexLive() {
		return this.indexLive;
	}

	byte[] indexCounts() {
		return this.indexCounts;
	}

	byte[] indexHistory() {
		return this.indexHistory;
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
