package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.MetadataPolicy;
import io.github.sessiongate.ledger.SessionOrigin;
import io.github.sessiongate.ledger.SessionStats;
import org.jspecify.annotations.Nullable;

/**
 * Every Lua script of the Redis package, each behind one typed entry point: the arguments
 * go in as a record or typed parameters, the reply comes out as a record. This is the one
 * class that knows the scripts' argument and reply names (and the keys each script
 * touches); nothing else reads a reply.
 *
 * @author SessionGate team
 */
final class RedisScripts {

	// the scripts run on every request declare their parameters (see LuaScript): the
	// records below write exactly these

	private static final List<String> ADMISSION = List.of("tenant", "created", "idle", "retention", "absolute",
			"concurrency", "capacity", "period", "lease", "leaseId", "create", "deadline", "keep", "device", "ip",
			"agent");

	private static final List<String> REQUEST_END = List.of("leaseId", "duration", "error", "keep", "lease");

	private static final List<String> REQUEST_END_AND_SAVE = Stream
		.concat(REQUEST_END.stream(), SessionChanges.PARAMETERS.stream())
		.toList();

	private static final LuaScript ADMIT_REQUEST = LuaScript.load(ADMISSION, "admit-request", "admission");

	private static final LuaScript LOAD_AND_ADMIT = LuaScript.load(ADMISSION, "load-and-admit", "session-data",
			"admission");

	private static final LuaScript RELEASE_LEASE = LuaScript.load("release-lease");

	private static final LuaScript ADMIT_STREAM = LuaScript.load("admit-stream");

	private static final LuaScript RENEW_STREAM = LuaScript.load("renew-stream");

	private static final LuaScript END_STREAM = LuaScript.load("end-stream");

	private static final LuaScript READ_STREAMS = LuaScript.load("read-streams");

	private static final LuaScript RENEW_LEASE = LuaScript.load("renew-lease");

	private static final LuaScript END_REQUEST = LuaScript.load(REQUEST_END, "end-request", "request-end");

	private static final LuaScript END_REQUEST_AND_SAVE = LuaScript.load(REQUEST_END_AND_SAVE, "end-request-and-save",
			"request-end", "session-data");

	private static final LuaScript LOAD_SESSION = LuaScript.load("load-session", "session-data");

	private static final LuaScript SAVE_SESSION = LuaScript.load("save-session", "session-data");

	private static final LuaScript TAKE_SESSION = LuaScript.load("take-session", "session-data");

	private static final LuaScript READ_STATS = LuaScript.load("read-stats");

	private static final LuaScript END_SESSION = LuaScript.load("end-session");

	private static final LuaScript SET_METADATA = LuaScript.load("set-metadata");

	private static final LuaScript CHECK_SESSION = LuaScript.load("check-session");

	private static final LuaScript INDEX_SESSION = LuaScript.load("index-session");

	private static final LuaScript UNINDEX_SESSION = LuaScript.load("unindex-session");

	private static final LuaScript LIST_DUE = LuaScript.load("list-due");

	private static final LuaScript RESCHEDULE_CHECKS = LuaScript.load("reschedule-checks");

	private static final LuaScript RENAME_IN_INDEX = LuaScript.load("rename-in-index");

	private static final LuaScript READ_INDEX_ENTRY = LuaScript.load("read-index-entry");

	private static final LuaScript ADD_INDEX_ENTRY = LuaScript.load("add-index-entry");

	private static final LuaScript REMOVE_INDEX_ENTRY = LuaScript.load("remove-index-entry");

	private static final LuaScript COUNT_SESSION = LuaScript.load("count-session");

	private static final LuaScript UNCOUNT_SESSION = LuaScript.load("uncount-session");

	private static final LuaScript KEEP_ALIVE = LuaScript.load("keep-alive");

	private static final LuaScript SET_SESSION_USER = LuaScript.load("set-session-user");

	private static final LuaScript RESET_SESSION_USER = LuaScript.load("reset-session-user");

	private static final LuaScript BIND_USER = LuaScript.load("bind-user");

	private static final LuaScript UNBIND_USER = LuaScript.load("unbind-user");

	private static final LuaScript RENAME_USER_SESSION = LuaScript.load("rename-user-session");

	private static final LuaScript MOVE_SESSION_OUT = LuaScript.load("move-session-out");

	private static final LuaScript MOVE_SESSION_IN = LuaScript.load("move-session-in");

	private static final char METADATA_VALUE = '\u001F';

	private static final char METADATA_ENTRY = '\u001E';

	/**
	 * The longest encoded metadata a record accepts, in UTF-8 bytes (what Lua counts):
	 * every bound at its largest, 3 bytes per value character.
	 */
	static final int MAX_ENCODED_METADATA = MetadataPolicy.MAX_KEYS
			* (MetadataPolicy.MAX_KEY_LENGTH + 1 + 3 * MetadataPolicy.MAX_VALUE_LENGTH + 1);

	private final RedisStore store;

	private final RedisKeys keys;

	RedisScripts(RedisStore store, RedisKeys keys) {
		this.store = store;
		this.keys = keys;
	}

	RedisKeys keys() {
		return this.keys;
	}

	RedisStore store() {
		return this.store;
	}

	// ---- admission and leases

	/**
	 * What an admission needs.
	 *
	 * @param tenant the tenant as stored ({@code ""} none, {@code t:<tenant>})
	 * @param createdMicros the session's creation time (ignored by load-and-admit)
	 * @param idleMillis the session's idle timeout (ignored by load-and-admit)
	 * @param retentionMillis the history retention
	 * @param absoluteMillis the absolute timeout, 0 for none
	 * @param concurrency the most concurrent requests, 0 for no limit
	 * @param capacity the rate bucket's capacity, 0 for no rate limit
	 * @param periodMicros the rate bucket's refill period
	 * @param leaseMillis the lease time
	 * @param leaseId the lease to take
	 * @param create whether a missing record is created
	 * @param deadlineMillis Redis time after which the admission takes nothing, 0 none
	 * @param keepMillis how long a live record outlives its idle timeout
	 * @param origin the origin recorded when the record is created
	 */
	record AdmissionArgs(String tenant, long createdMicros, long idleMillis, long retentionMillis, long absoluteMillis,
			int concurrency, long capacity, long periodMicros, long leaseMillis, String leaseId, boolean create,
			long deadlineMillis, long keepMillis, SessionOrigin origin) {

		ScriptArgs encode() {
			// only a new record takes the origin: every other admission would carry up to
			// 256 bytes of user agent for nothing
			SessionOrigin recorded = this.create ? this.origin : SessionOrigin.NONE;
			return RedisScripts.origin(new ScriptArgs(), recorded)
				.put("tenant", this.tenant)
				.put("created", this.createdMicros)
				.put("idle", this.idleMillis)
				.put("retention", this.retentionMillis)
				.put("absolute", this.absoluteMillis)
				.put("concurrency", this.concurrency)
				.put("capacity", this.capacity)
				.put("period", this.periodMicros)
				.put("lease", this.leaseMillis)
				.put("leaseId", this.leaseId)
				.put("create", this.create)
				.put("deadline", this.deadlineMillis)
				.put("keep", this.keepMillis);
		}

	}

	/** The reply of an admission. */
	sealed interface AdmitReply {

		/** No record and none was to be created. */
		record Absent() implements AdmitReply {
		}

		/** The session belongs to another tenant. */
		record Foreign() implements AdmitReply {
		}

		/** The session has ended (now, when {@code endedNow}). */
		record Ended(boolean endedNow, SessionStats stats) implements AdmitReply {
		}

		/** A limit refused the request. */
		record Rejected(String limit, long waitMicros, long nowMillis) implements AdmitReply {
		}

		/** The request took a lease. */
		record Admitted(String user, boolean created, long tokensLeft, long nowMillis) implements AdmitReply {
		}

		/** Redis ran the admission after its deadline: it took nothing. */
		record Late(long nowMillis) implements AdmitReply {
		}

		/** The lease was released before the admission ran: it took nothing. */
		record Cancelled() implements AdmitReply {
		}

	}

	AdmitReply admitRequest(String sessionId, AdmissionArgs args) {
		return admitReply(sessionId, this.store.run(ADMIT_REQUEST, sessionKeys(sessionId, false), args.encode()));
	}

	/**
	 * A session's data and the admission made while loading it.
	 *
	 * @param admission the admission
	 * @param data the session's fields and values
	 */
	record Loaded(AdmitReply admission, List<Object> data) {
	}

	/**
	 * Loads a session's data and admits its request in one script.
	 * @return what was loaded, or {@code null} when there is no live session data
	 */
	@Nullable Loaded loadAndAdmit(String sessionId, AdmissionArgs args) {
		byte[][] keys = { this.keys.session(sessionId), this.keys.leases(sessionId), this.keys.data(sessionId) };
		ScriptReply reply = this.store.run(LOAD_AND_ADMIT, keys, args.encode());
		if ("nodata".equals(reply.kind())) {
			return null;
		}
		return new Loaded(admitReply(sessionId, reply), reply.list("data"));
	}

	private static AdmitReply admitReply(String sessionId, ScriptReply reply) {
		return switch (reply.kind()) {
			case "absent" -> new AdmitReply.Absent();
			case "foreign" -> new AdmitReply.Foreign();
			case "ended" -> new AdmitReply.Ended(reply.flag("endedNow"), stats(sessionId, reply));
			case "rejected" ->
				new AdmitReply.Rejected(reply.string("limit"), reply.number("wait"), reply.number("now"));
			case "admitted" -> new AdmitReply.Admitted(reply.string("user"), reply.flag("created"),
					reply.number("tokens"), reply.number("now"));
			case "late" -> new AdmitReply.Late(reply.number("now"));
			case "cancelled" -> new AdmitReply.Cancelled();
			default -> throw new IllegalStateException("Unexpected admission reply: " + reply.kind());
		};
	}

	/**
	 * Frees a lease.
	 * @param mark whether to leave a mark that cancels an admission still to come
	 * @return whether a lease was freed
	 */
	boolean releaseLease(String sessionId, String leaseId, boolean mark) {
		return this.store
			.attempt(RELEASE_LEASE, sessionKeys(sessionId, false),
					new ScriptArgs().put("leaseId", leaseId).put("mark", mark))
			.flag("released");
	}

	/**
	 * @return whether the lease was still there
	 */
	boolean renewLease(String sessionId, String leaseId, long leaseMillis) {
		return this.store
			.run(RENEW_LEASE, new byte[][] { this.keys.leases(sessionId) },
					new ScriptArgs().put("leaseId", leaseId).put("lease", leaseMillis))
			.flag("renewed");
	}

	// ---- streams (their own lease set per session: StreamLeases)

	/**
	 * What a stream's admission needs.
	 *
	 * @param tenant the tenant as stored
	 * @param absoluteMillis the absolute timeout, 0 for none
	 * @param maxStreams the most open streams of the session, 0 for no limit
	 * @param capacity the rate bucket's capacity, 0 for no rate limit
	 * @param periodMicros the rate bucket's refill period
	 * @param leaseMillis the lease time
	 * @param streamId the stream's lease
	 * @param keepMillis how long a live record outlives its idle timeout
	 * @param create whether a missing record is created
	 * @param createdMicros the session's creation time
	 * @param idleMillis the session's idle timeout
	 * @param origin the origin recorded when the record is created
	 */
	record StreamAdmissionArgs(String tenant, long absoluteMillis, int maxStreams, long capacity, long periodMicros,
			long leaseMillis, String streamId, long keepMillis, boolean create, long createdMicros, long idleMillis,
			SessionOrigin origin) {

		ScriptArgs encode() {
			return RedisScripts.origin(new ScriptArgs(), this.origin)
				.put("tenant", this.tenant)
				.put("absolute", this.absoluteMillis)
				.put("max", this.maxStreams)
				.put("capacity", this.capacity)
				.put("period", this.periodMicros)
				.put("lease", this.leaseMillis)
				.put("streamId", this.streamId)
				.put("keep", this.keepMillis)
				.put("create", this.create)
				.put("created", this.createdMicros)
				.put("idle", this.idleMillis);
		}

	}

	/** The reply of a stream's admission. */
	sealed interface StreamAdmitReply {

		/** No record and none was to be created. */
		record Absent() implements StreamAdmitReply {
		}

		/** The record belongs to another tenant. */
		record Foreign() implements StreamAdmitReply {
		}

		/** The session had ended. */
		record Ended() implements StreamAdmitReply {
		}

		/** The session is past its absolute age (the ordinary admission ends it). */
		record OverAge() implements StreamAdmitReply {
		}

		/** Refused by a limit ({@code session-streams} or {@code rate}). */
		record Rejected(String limit, long waitMicros) implements StreamAdmitReply {
		}

		/** Admitted: the stream holds its lease. */
		record Admitted(String user, boolean created, long tokensLeft) implements StreamAdmitReply {
		}

	}

	StreamAdmitReply admitStream(String sessionId, StreamAdmissionArgs args) {
		ScriptReply reply = this.store.run(ADMIT_STREAM, streamKeys(sessionId), args.encode());
		return switch (reply.kind()) {
			case "absent" -> new StreamAdmitReply.Absent();
			case "foreign" -> new StreamAdmitReply.Foreign();
			case "ended" -> new StreamAdmitReply.Ended();
			case "over-age" -> new StreamAdmitReply.OverAge();
			case "rejected" -> new StreamAdmitReply.Rejected(reply.string("limit"), reply.number("wait"));
			case "admitted" ->
				new StreamAdmitReply.Admitted(reply.string("user"), reply.flag("created"), reply.number("tokens"));
			default -> throw new IllegalStateException("Unexpected stream admission reply: " + reply.kind());
		};
	}

	/** The reply of a stream's renewal. */
	sealed interface StreamCheck {

		/** The session is live: the lease was renewed. */
		record Live() implements StreamCheck {
		}

		/** The session's id changed: the stream follows it. */
		record Moved(String to) implements StreamCheck {
		}

		/** The session is past its absolute age. */
		record OverAge() implements StreamCheck {
		}

		/** The session ended or its record is gone. */
		record Ended() implements StreamCheck {
		}

	}

	StreamCheck renewStream(String sessionId, String streamId, long leaseMillis, long absoluteMillis, long keepMillis) {
		ScriptArgs args = new ScriptArgs().put("streamId", streamId)
			.put("lease", leaseMillis)
			.put("absolute", absoluteMillis)
			.put("keep", keepMillis);
		byte[][] keys = { this.keys.session(sessionId), this.keys.streams(sessionId), this.keys.moved(sessionId) };
		ScriptReply reply = this.store.run(RENEW_STREAM, keys, args);
		return switch (reply.kind()) {
			case "live" -> new StreamCheck.Live();
			case "moved" -> new StreamCheck.Moved(reply.string("to"));
			case "over-age" -> new StreamCheck.OverAge();
			case "ended", "gone" -> new StreamCheck.Ended();
			default -> throw new IllegalStateException("Unexpected stream renewal reply: " + reply.kind());
		};
	}

	/**
	 * @return whether the stream's lease was still there
	 */
	boolean endStream(String sessionId, String streamId) {
		return this.store.run(END_STREAM, streamKeys(sessionId), new ScriptArgs().put("streamId", streamId))
			.flag("released");
	}

	/**
	 * A session's stream counts.
	 *
	 * @param open streams open now
	 * @param count streams the session opened
	 */
	record StreamCounts(int open, long count) {
	}

	StreamCounts readStreams(String sessionId) {
		ScriptReply reply = this.store.run(READ_STREAMS, streamKeys(sessionId), new ScriptArgs());
		return new StreamCounts((int) reply.number("open"), reply.number("count"));
	}

	private byte[][] streamKeys(String sessionId) {
		return new byte[][] { this.keys.session(sessionId), this.keys.streams(sessionId) };
	}

	// ---- request end

	/**
	 * What the end of a request records.
	 *
	 * @param leaseId the lease to free
	 * @param durationNanos the processing time
	 * @param error whether the request failed
	 * @param keepMillis how long a live record outlives its idle timeout
	 * @param leaseMillis the lease time
	 */
	record EndArgs(String leaseId, long durationNanos, boolean error, long keepMillis, long leaseMillis) {

		ScriptArgs encode() {
			return new ScriptArgs().put("leaseId", this.leaseId)
				.put("duration", this.durationNanos)
				.put("error", this.error)
				.put("keep", this.keepMillis)
				.put("lease", this.leaseMillis);
		}

	}

	/**
	 * The reply of a request's end.
	 *
	 * @param movedTo the session's new id when it changed under the request, else
	 * {@code null}
	 * @param gone whether the session's record is gone
	 * @param saved whether the session's changes were written (end-and-save)
	 */
	record EndReply(@Nullable String movedTo, boolean gone, boolean saved) {
	}

	EndReply endRequest(String sessionId, EndArgs args) {
		// an admitted request holds its lease until its end reaches Redis: tried even
		// while the breaker is open (a request waits at most once: here or at its begin)
		return endReply(this.store.attempt(END_REQUEST, sessionKeys(sessionId, true), args.encode()));
	}

	EndReply endRequestAndSave(String sessionId, EndArgs args, SessionChanges changes) {
		byte[][] keys = { this.keys.session(sessionId), this.keys.leases(sessionId), this.keys.moved(sessionId),
				this.keys.data(sessionId) };
		return endReply(this.store.attempt(END_REQUEST_AND_SAVE, keys, changes.encode(args.encode())));
	}

	private static EndReply endReply(ScriptReply reply) {
		boolean saved = reply.has("saved") && reply.flag("saved");
		return switch (reply.kind()) {
			case "ok" -> new EndReply(null, false, saved);
			case "moved" -> new EndReply(reply.string("to"), false, false);
			case "gone" -> new EndReply(null, true, saved);
			default -> throw new IllegalStateException("Unexpected request end reply: " + reply.kind());
		};
	}

	// ---- session data (SessionGateRedisSessionRepository)

	/**
	 * @return the session's fields and values, or {@code null} when there is none
	 */
	@Nullable List<Object> loadSession(String sessionId) {
		return data(this.store.run(LOAD_SESSION, dataKey(sessionId), new ScriptArgs()));
	}

	/**
	 * @return whether the changes were written ({@code false}: the session was gone)
	 */
	boolean saveSession(String sessionId, SessionChanges changes) {
		return this.store.run(SAVE_SESSION, dataKey(sessionId), changes.encode(new ScriptArgs())).flag("saved");
	}

	/** Reads and deletes a session's data. */
	@Nullable List<Object> takeSession(String sessionId) {
		return data(this.store.run(TAKE_SESSION, dataKey(sessionId), new ScriptArgs()));
	}

	void deleteSession(String sessionId) {
		byte[] key = this.keys.data(sessionId);
		this.store.call((connection) -> connection.keyCommands().del(key));
	}

	private static @Nullable List<Object> data(ScriptReply reply) {
		return "found".equals(reply.kind()) ? reply.list("data") : null;
	}

	private byte[][] dataKey(String sessionId) {
		return new byte[][] { this.keys.data(sessionId) };
	}

	// ---- session records

	@Nullable SessionStats readStats(String sessionId) {
		ScriptReply reply = this.store.run(READ_STATS, sessionKeys(sessionId, false), new ScriptArgs());
		return "found".equals(reply.kind()) ? stats(sessionId, reply) : null;
	}

	/**
	 * Sets (or, with an empty value, removes) metadata entries a live session keeps; the
	 * changes are already within {@link MetadataPolicy#requireWithinBounds its bounds},
	 * the script refuses a result beyond them.
	 * @return whether they were recorded ({@code false}: unknown or ended)
	 */
	boolean recordMetadata(String sessionId, Map<String, String> changes) {
		List<byte[]> pairs = new ArrayList<>(2 * changes.size());
		changes.forEach((key, value) -> {
			pairs.add(ScriptArgs.bytes(key));
			pairs.add(ScriptArgs.bytes(value));
		});
		ScriptReply reply = this.store.run(SET_METADATA, new byte[][] { this.keys.session(sessionId) },
				new ScriptArgs().put("max", MAX_ENCODED_METADATA)
					.put("entries", MetadataPolicy.MAX_KEYS)
					.addAll(pairs));
		if (reply.flag("refused")) {
			throw new IllegalArgumentException("at most " + MetadataPolicy.MAX_KEYS
					+ " metadata entries can be kept: the session would keep more");
		}
		return reply.flag("recorded");
	}

	/**
	 * @return the final stats, or {@code null} when unknown or ended before
	 */
	@Nullable SessionStats endSession(String sessionId, SessionStatus status, String reason, long retentionMillis) {
		ScriptReply reply = this.store.run(END_SESSION, sessionKeys(sessionId, false),
				new ScriptArgs().put("status", status.name()).put("reason", reason).put("retention", retentionMillis));
		return "ended".equals(reply.kind()) ? stats(sessionId, reply) : null;
	}

	/** What the sweeper found when it checked a session. */
	sealed interface Check {

		/** The record is gone. */
		record Gone() implements Check {
		}

		/** It ended before, at {@code endedMicros}. */
		record EndedBefore(long endedMicros) implements Check {
		}

		/** This check ended it. */
		record Ended(SessionStats stats) implements Check {
		}

		/** It lives; check again at {@code nextMillis}. */
		record Live(long nextMillis, String user) implements Check {
		}

	}

	Check checkSession(String sessionId, long absoluteMillis, long retentionMillis) {
		ScriptReply reply = this.store.run(CHECK_SESSION, sessionKeys(sessionId, false),
				new ScriptArgs().put("absolute", absoluteMillis).put("retention", retentionMillis));
		return switch (reply.kind()) {
			case "gone" -> new Check.Gone();
			case "ended-before" -> new Check.EndedBefore(reply.number("endedAt"));
			case "ended" -> new Check.Ended(stats(sessionId, reply));
			case "live" -> new Check.Live(reply.number("next"), reply.string("user"));
			default -> throw new IllegalStateException("Unexpected check reply: " + reply.kind());
		};
	}

	// ---- the session index

	/**
	 * @return whether the session was added ({@code false}: indexed before)
	 */
	boolean indexSession(int shard, String member, String tenant, long idleMillis, long ttlMillis, long deadlineMillis,
			String sessionId) {
		return this.store.run(INDEX_SESSION,
				new byte[][] { this.keys.indexLive(shard), this.keys.indexCounts(shard), this.keys.indexRefs(shard) },
				new ScriptArgs().put("member", member)
					.put("tenant", tenant)
					.put("idle", idleMillis)
					.put("ttl", ttlMillis)
					.put("deadline", deadlineMillis)
					.put("sessionId", sessionId)
					.put("ref", SessionIds.shortForm(sessionId)))
			.flag("added");
	}

	/**
	 * @return whether the session was still indexed as live
	 */
	boolean unindexSession(int shard, String member, String tenant, String sessionId, long endedMicros,
			long retentionMillis, long marginMillis) {
		return this.store
			.run(UNINDEX_SESSION, indexKeysWithRefs(shard),
					new ScriptArgs().put("member", member)
						.put("tenant", tenant)
						.put("sessionId", sessionId)
						.put("endedAt", endedMicros)
						.put("retention", retentionMillis)
						.put("margin", marginMillis)
						.put("ref", SessionIds.shortForm(sessionId)))
			.flag("removed");
	}

	List<String> listDue(int shard, int max) {
		return strings(
				this.store.run(LIST_DUE, new byte[][] { this.keys.indexLive(shard) }, new ScriptArgs().put("max", max))
					.list("due"));
	}

	/**
	 * Moves sweep checks.
	 * @param checks pairs of member and next check (ms)
	 */
	void rescheduleChecks(int shard, long ttlMillis, List<byte[]> checks) {
		this.store.run(RESCHEDULE_CHECKS,
				new byte[][] { this.keys.indexLive(shard), this.keys.indexCounts(shard), this.keys.indexRefs(shard) },
				new ScriptArgs().put("ttl", ttlMillis).addAll(checks));
	}

	void renameInIndex(int shard, String oldMember, String newMember, String oldId, String newId, long ttlMillis) {
		this.store.run(RENAME_IN_INDEX,
				new byte[][] { this.keys.indexLive(shard), this.keys.indexHistory(shard), this.keys.indexRefs(shard),
						this.keys.indexEndedRefs(shard) },
				new ScriptArgs().put("oldMember", oldMember)
					.put("newMember", newMember)
					.put("oldId", oldId)
					.put("newId", newId)
					.put("oldRef", SessionIds.shortForm(oldId))
					.put("newRef", SessionIds.shortForm(newId))
					.put("ttl", ttlMillis));
	}

	/**
	 * A session's index entries: scores as stored, {@code ""} where there is none.
	 *
	 * @param live the live index score
	 * @param history the history score
	 */
	record IndexEntry(String live, String history) {
	}

	IndexEntry readIndexEntry(int shard, String member, String sessionId) {
		ScriptReply reply = this.store.run(READ_INDEX_ENTRY,
				new byte[][] { this.keys.indexLive(shard), this.keys.indexHistory(shard) },
				new ScriptArgs().put("member", member).put("sessionId", sessionId));
		return new IndexEntry(reply.string("live"), reply.string("history"));
	}

	void addIndexEntry(int shard, String member, String tenant, String sessionId, IndexEntry entry, long ttlMillis) {
		this.store.run(ADD_INDEX_ENTRY, indexKeysWithRefs(shard),
				new ScriptArgs().put("member", member)
					.put("tenant", tenant)
					.put("live", entry.live())
					.put("sessionId", sessionId)
					.put("history", entry.history())
					.put("ttl", ttlMillis)
					.put("ref", SessionIds.shortForm(sessionId)));
	}

	void removeIndexEntry(int shard, String member, String tenant, String sessionId) {
		this.store.run(REMOVE_INDEX_ENTRY, indexKeysWithRefs(shard),
				new ScriptArgs().put("member", member)
					.put("tenant", tenant)
					.put("sessionId", sessionId)
					.put("ref", SessionIds.shortForm(sessionId)));
	}

	/**
	 * The session id a shard's references map a reference to.
	 * @return the id, or {@code null} when the shard holds no such reference
	 */
	@Nullable String referencedSession(int shard, String reference) {
		byte[] key = this.keys.indexRefs(shard);
		byte[] id = this.store.call((connection) -> connection.hashCommands().hGet(key, ScriptArgs.bytes(reference)));
		return (id != null) ? new String(id, StandardCharsets.UTF_8) : null;
	}

	/**
	 * @return whether the session was counted ({@code false}: the tenant is full)
	 */
	boolean countSession(String tenant, long max, long ttlMillis) {
		return this.store
			.run(COUNT_SESSION, new byte[][] { this.keys.tenantCount(tenant) },
					new ScriptArgs().put("max", max).put("ttl", ttlMillis))
			.flag("counted");
	}

	void uncountSession(String tenant) {
		this.store.run(UNCOUNT_SESSION, new byte[][] { this.keys.tenantCount(tenant) }, new ScriptArgs().put("ttl", 0));
	}

	void keepTenantCountAlive(String tenant, long ttlMillis) {
		this.store.run(KEEP_ALIVE, new byte[][] { this.keys.tenantCount(tenant) },
				new ScriptArgs().put("ttl", ttlMillis));
	}

	/** Live sessions, summed over the shards' counts (every tenant). */
	long activeSessions() {
		long total = 0;
		for (int shard = 0; shard < RedisKeys.SHARDS; shard++) {
			byte[] key = this.keys.indexCounts(shard);
			List<byte[]> counts = this.store.call((connection) -> connection.hashCommands().hVals(key));
			if (counts != null) {
				for (byte[] count : counts) {
					total += Long.parseLong(new String(count, StandardCharsets.UTF_8));
				}
			}
		}
		return total;
	}

	/** The newest members of a shard's live index (by next check) or history (by end). */
	List<String> newestInIndex(int shard, boolean live, long count) {
		byte[] key = live ? this.keys.indexLive(shard) : this.keys.indexHistory(shard);
		return strings(this.store.call((connection) -> connection.zSetCommands().zRevRange(key, 0, count - 1)));
	}

	// ---- users

	/**
	 * Records the user of a live session.
	 * @return the user bound before ({@code ""} none), or {@code null} when the session
	 * is not live
	 */
	@Nullable String setSessionUser(String sessionId, String userId, SessionOrigin login) {
		ScriptReply reply = this.store.run(SET_SESSION_USER, new byte[][] { this.keys.session(sessionId) },
				origin(new ScriptArgs(), login).put("user", userId).put("login", !login.isEmpty()));
		return "ok".equals(reply.kind()) ? reply.string("previous") : null;
	}

	void resetSessionUser(String sessionId, String userId, String previous) {
		this.store.run(RESET_SESSION_USER, new byte[][] { this.keys.session(sessionId) },
				new ScriptArgs().put("user", userId).put("previous", previous));
	}

	/**
	 * What a bind knows of another session of the user.
	 *
	 * @param sessionId the session
	 * @param state {@code live}, {@code ended} or {@code gone}
	 * @param lastActivityMicros its last activity, 0 unknown
	 */
	record KnownSession(String sessionId, String state, long lastActivityMicros) {
	}

	/**
	 * Binds a session to a user under the sessions-per-user limit.
	 * @return the sessions to end to make room, or {@code null} when the bind was refused
	 */
	@Nullable List<String> bindUser(String userId, String sessionId, int max, String policy, long ttlMillis,
			List<KnownSession> known) {
		ScriptArgs args = new ScriptArgs().put("sessionId", sessionId)
			.put("max", max)
			.put("policy", policy)
			.put("ttl", ttlMillis);
		for (KnownSession session : known) {
			args.add(session.sessionId()).add(session.state()).add(Long.toString(session.lastActivityMicros()));
		}
		ScriptReply reply = this.store.run(BIND_USER, userKeys(userId), args);
		return "bound".equals(reply.kind()) ? strings(reply.list("ended")) : null;
	}

	void unbindUser(String userId, String sessionId) {
		this.store.run(UNBIND_USER, userKeys(userId), new ScriptArgs().put("sessionId", sessionId));
	}

	void renameUserSession(String userId, String oldId, String newId) {
		this.store.run(RENAME_USER_SESSION, userKeys(userId), new ScriptArgs().put("oldId", oldId).put("newId", newId));
	}

	void keepUserAlive(String userId, long ttlMillis) {
		this.store.run(KEEP_ALIVE, userKeys(userId), new ScriptArgs().put("ttl", ttlMillis));
	}

	/** A user's sessions: live ones, then ended ones still in history. */
	List<String> sessionsOfUser(String userId) {
		byte[] live = this.keys.userLive(userId);
		byte[] ended = this.keys.userEnded(userId);
		List<String> ids = strings(this.store.call((connection) -> connection.zSetCommands().zRange(live, 0, -1)));
		ids.addAll(strings(this.store.call((connection) -> connection.zSetCommands().zRange(ended, 0, -1))));
		return ids;
	}

	List<String> liveSessionsOfUser(String userId) {
		byte[] live = this.keys.userLive(userId);
		return strings(this.store.call((connection) -> connection.zSetCommands().zRange(live, 0, -1)));
	}

	// ---- id changes

	/**
	 * A session's state taken from its old id.
	 *
	 * @param ttlMillis the record's TTL
	 * @param fields the record's fields and values
	 * @param leases lease ids and deadlines
	 */
	record MovedState(long ttlMillis, List<byte[]> fields, List<byte[]> leases) {

		/** A field of the session record, {@code ""} when absent. */
		String field(String name) {
			for (int i = 0; i + 1 < this.fields.size(); i += 2) {
				if (name.equals(new String(this.fields.get(i), StandardCharsets.UTF_8))) {
					return new String(this.fields.get(i + 1), StandardCharsets.UTF_8);
				}
			}
			return "";
		}

	}

	/**
	 * @return the state, or {@code null} when the old id has no record
	 */
	@Nullable MovedState moveSessionOut(String oldId, String newId, long pointerMillis) {
		ScriptReply reply = this.store.run(MOVE_SESSION_OUT, sessionKeys(oldId, true),
				new ScriptArgs().put("newId", newId).put("pointer", pointerMillis));
		if (!"moved".equals(reply.kind())) {
			return null;
		}
		return new MovedState(reply.number("ttl"), bytesList(reply.list("record")), bytesList(reply.list("leases")));
	}

	void moveSessionIn(String newId, MovedState state) {
		this.store.run(MOVE_SESSION_IN, sessionKeys(newId, false),
				new ScriptArgs().put("ttl", Math.max(state.ttlMillis(), 1))
					.put("fields", state.fields().size())
					.addAll(state.fields())
					.addAll(state.leases()));
	}

	// ---- encoding and decoding

	/**
	 * Writes an origin's fields ({@code ""} unknown; see {@code set_origin} in
	 * {@code common.lua}).
	 */
	private static ScriptArgs origin(ScriptArgs args, SessionOrigin origin) {
		return args.put("device", orEmpty(origin.deviceId()))
			.put("ip", orEmpty(origin.clientIp()))
			.put("agent", orEmpty(origin.userAgent()));
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private static @Nullable String orNull(String value) {
		return value.isEmpty() ? null : value;
	}

	/**
	 * Metadata as the record's {@code md} field keeps it (written by
	 * {@code set-metadata}): key, unit separator, value, entries apart by a record
	 * separator (keys and values hold no control characters).
	 */
	static Map<String, String> decode(String encoded) {
		if (encoded.isEmpty()) {
			return Map.of();
		}
		Map<String, String> metadata = new LinkedHashMap<>();
		for (String entry : encoded.split(String.valueOf(METADATA_ENTRY))) {
			int separator = entry.indexOf(METADATA_VALUE);
			if (separator > 0) {
				metadata.put(entry.substring(0, separator), entry.substring(separator + 1));
			}
		}
		return metadata;
	}

	/** Reads the stats fields of a reply (see {@code stats} in {@code common.lua}). */
	private static SessionStats stats(String sessionId, ScriptReply reply) {
		String tenant = reply.string("tenant");
		String user = reply.string("user");
		String reason = reply.string("reason");
		String ended = reply.string("ended");
		return new SessionStats(sessionId, tenant.isEmpty() ? null : tenant.substring(2), user.isEmpty() ? null : user,
				SessionStatus.valueOf(reply.string("status")), reason.isEmpty() ? null : reason,
				instant(reply.number("created")), instant(reply.number("last")),
				ended.isEmpty() ? null : instant(Long.parseLong(ended)), (int) reply.number("active"),
				reply.number("requests"), reply.number("errors"), reply.number("rejections"),
				Duration.ofNanos(reply.number("total")), Duration.ofNanos(reply.number("max")),
				new SessionOrigin(orNull(reply.string("device")), orNull(reply.string("ip")),
						orNull(reply.string("agent"))),
				reply.has("metadata") ? decode(reply.string("metadata")) : Map.of());
	}

	private byte[][] sessionKeys(String sessionId, boolean withMoved) {
		return withMoved
				? new byte[][] { this.keys.session(sessionId), this.keys.leases(sessionId), this.keys.moved(sessionId) }
				: new byte[][] { this.keys.session(sessionId), this.keys.leases(sessionId) };
	}

	private byte[][] indexKeysWithRefs(int shard) {
		return new byte[][] { this.keys.indexLive(shard), this.keys.indexCounts(shard), this.keys.indexHistory(shard),
				this.keys.indexRefs(shard), this.keys.indexEndedRefs(shard) };
	}

	private byte[][] userKeys(String userId) {
		return new byte[][] { this.keys.userLive(userId), this.keys.userEnded(userId) };
	}

	private static List<String> strings(@Nullable Iterable<?> values) {
		List<String> result = new ArrayList<>();
		if (values != null) {
			values.forEach((value) -> result.add(ScriptReply.text(value)));
		}
		return result;
	}

	private static List<byte[]> bytesList(List<Object> values) {
		List<byte[]> result = new ArrayList<>(values.size());
		for (Object value : values) {
			result.add((value instanceof byte[] bytes) ? bytes : ScriptArgs.bytes(String.valueOf(value)));
		}
		return result;
	}

	static Instant instant(long micros) {
		return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
	}

	static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
	}

}
