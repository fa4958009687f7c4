package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names the ledger's keys. Every key carries a hash tag, so the keys one script touches
 * share a Redis Cluster slot: a session's keys are tagged with its id, a user's with the
 * user id, and the indexes with their shard ({@code index-0} to {@code index-15}, chosen
 * by the session id), so that no one slot is written by every session start and end.
 *
 * <pre>
 * {prefix}session:{id}           hash        the session's record
 * {prefix}session:{id}:leases    sorted set  permits of requests in progress, scored by lease deadline
 * {prefix}session:{id}:streams   sorted set  open streams, scored by lease deadline (StreamLeases)
 * {prefix}session:{id}:moved     string      the new id after a rotation (for requests in progress)
 * {prefix}session:{id}:data      hash        the session itself, with SessionGateRedisSessionRepository
 * {prefix}user:{id}:live         sorted set  the user's live sessions, scored by bind time
 * {prefix}user:{id}:ended        sorted set  the user's ended sessions still in history
 * {prefix}{index-k}:live         sorted set  live sessions of shard k ("id tenant"), scored by next sweep check
 * {prefix}{index-k}:counts       hash        live sessions of shard k per tenant
 * {prefix}{index-k}:history      sorted set  ended sessions of shard k, scored by end time
 * {prefix}{index-k}:refs         hash        reference (12 hex) -> session id, for the sessions of shard k in either index
 * {prefix}{index-k}:refs-ended   sorted set  references of shard k's ended sessions, scored by end time (to prune refs)
 * {prefix}tenant:{t}:count       string      live sessions of a tenant, only with limits.max-sessions
 * </pre>
 *
 * @author SessionGate team
 */
final class RedisKeys {

	/** Index shards; fixed, since every node must agree on a session's shard. */
	static final int SHARDS = 16;

	private final String prefix;

	private final byte[][] indexLive = new byte[SHARDS][];

	private final byte[][] indexCounts = new byte[SHARDS][];

	private final byte[][] indexHistory = new byte[SHARDS][];

	private final byte[][] indexRefs = new byte[SHARDS][];

	private final byte[][] indexEndedRefs = new byte[SHARDS][];

	RedisKeys(String prefix) {
		if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
			throw new IllegalArgumentException("keyPrefix must not contain '{' or '}', was '" + prefix + "'");
		}
		this.prefix = prefix;
		for (int shard = 0; shard < SHARDS; shard++) {
			String tag = prefix + "{index-" + shard + "}";
			this.indexLive[shard] = bytes(tag + ":live");
			this.indexCounts[shard] = bytes(tag + ":counts");
			this.indexHistory[shard] = bytes(tag + ":history");
			this.indexRefs[shard] = bytes(tag + ":refs");
			this.indexEndedRefs[shard] = bytes(tag + ":refs-ended");
		}
	}

	String prefix() {
		return this.prefix;
	}

	/**
	 * The index shard of a session: the same on every node.
	 * @param sessionId the session id
	 * @return the shard, 0 to {@link #SHARDS} - 1
	 */
	static int shard(String sessionId) {
		return Math.floorMod(sessionId.hashCode(), SHARDS);
	}

	byte[] session(String sessionId) {
		return bytes(this.prefix + "session:{" + sessionId + "}");
	}

	byte[] leases(String sessionId) {
		return bytes(this.prefix + "session:{" + sessionId + "}:leases");
	}

	byte[] streams(String sessionId) {
		return bytes(this.prefix + "session:{" + sessionId + "}:streams");
	}

	byte[] data(String sessionId) {
		return bytes(this.prefix + "session:{" + sessionId + "}:data");
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

	byte[] tenantCount(String tenant) {
		return bytes(this.prefix + "tenant:{" + tenant + "}:count");
	}

	byte[] indexLive(int shard) {
		return this.indexLive[shard];
	}

	byte[] indexCounts(int shard) {
		return this.indexCounts[shard];
	}

	byte[] indexHistory(int shard) {
		return this.indexHistory[shard];
	}

	byte[] indexRefs(int shard) {
		return this.indexRefs[shard];
	}

	byte[] indexEndedRefs(int shard) {
		return this.indexEndedRefs[shard];
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
