package io.github.sessiongate.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.SessionLimits;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of sessions, sharded over {@link RedisKeys#SHARDS} hash tags: live sessions
 * scored by their next sweep check (with per-tenant counts), ended ones by their end time
 * for the history retention. Registers new sessions (and, with a limit on all sessions,
 * counts them in their tenant), ends sessions, retires ended ones, sweeps, and answers
 * the cluster-wide queries.
 *
 * @author SessionGate team
 */
final class SessionIndex {

	/** How long index keys outlive the newest session they hold (sweeps may be late). */
	static final long MARGIN_MILLIS = Duration.ofMinutes(10).toMillis();

	private static final int SWEEP_BATCH = 500;

	private static final int SWEEP_MAX_BATCHES = 200;

	private static final int UNCERTAIN_MAX = 10_000;

	private static final Logger logger = LoggerFactory.getLogger(SessionIndex.class);

	private final RedisScripts scripts;

	private final long retentionMillis;

	private final long sweepGraceMillis;

	/**
	 * Whether a limit on all sessions is in use (seen in a request start or a sweep), so
	 * that the tenants' session counts must be kept.
	 */
	private volatile boolean countingTenants;

	/**
	 * Sessions whose check failed in the client on this node: the script may have ended
	 * the session and its reply been lost (Redis stopped before answering), so the next
	 * check that finds the session ended publishes its end.
	 */
	private final Set<String> uncertain = ConcurrentHashMap.newKeySet();

	SessionIndex(RedisScripts scripts, long retentionMillis, long sweepGraceMillis) {
		this.scripts = scripts;
		this.retentionMillis = retentionMillis;
		this.sweepGraceMillis = sweepGraceMillis;
	}

	/**
	 * Indexes a new session in its shard; with a limit on all sessions, counts it in its
	 * tenant first (the one key every session start of a tenant writes, needed for an
	 * exact limit).
	 * @return {@code false} when the tenant is at {@code limits.max-sessions}
	 */
	boolean register(RequestStart start, String tenant) {
		Duration absolute = start.limits().absoluteTimeout();
		long deadline = (absolute != null) ? start.creationTime().plus(absolute).toEpochMilli() : 0;
		long indexTtl = this.retentionMillis + MARGIN_MILLIS;
		long max = start.limits().maxSessions();
		if (max > 0) {
			this.countingTenants = true;
			if (!this.scripts.countSession(tenant, max, start.idleTimeout().toMillis() + indexTtl)) {
				return false;
			}
		}
		String sessionId = start.sessionId();
		boolean added;
		try {
			added = this.scripts.indexSession(RedisKeys.shard(sessionId), member(sessionId, tenant), tenant,
					start.idleTimeout().toMillis(), indexTtl, deadline, sessionId);
		}
		catch (RuntimeException ex) {
			if (max > 0) {
				this.scripts.uncountSession(tenant);
			}
			throw ex;
		}
		if (max > 0 && !added) {
			// indexed (and counted) before, by a concurrent first request of the session
			this.scripts.uncountSession(tenant);
		}
		return true;
	}

	/**
	 * Ends a live session and retires it.
	 * @return the final stats, or {@code null} if unknown or ended before
	 */
	@Nullable SessionStats end(String sessionId, SessionStatus status, String reason) {
		SessionStats stats = this.scripts.endSession(sessionId, status, reason, this.retentionMillis);
		if (stats != null) {
			retire(stats);
		}
		return stats;
	}

	/** Moves an ended session from the live index to the history. */
	void retire(SessionStats stats) {
		Instant endedAt = stats.endedAt();
		String tenant = storedTenant(stats.tenant());
		retire(member(stats.sessionId(), tenant), stats.sessionId(),
				(endedAt != null) ? RedisScripts.micros(endedAt) : 0);
	}

	private void retire(String member, String sessionId, long endedMicros) {
		String tenant = tenantOf(member);
		boolean wasLive = this.scripts.unindexSession(RedisKeys.shard(sessionId), member, tenant, sessionId,
				endedMicros, this.retentionMillis, MARGIN_MILLIS);
		if (this.countingTenants && wasLive) {
			this.scripts.uncountSession(tenant);
		}
	}

	/**
	 * Follows a session id change: within the shard when both ids share one, otherwise
	 * added to the new shard before it is taken from the old one.
	 */
	void rename(String oldId, String newId, String tenant) {
		int from = RedisKeys.shard(oldId);
		int to = RedisKeys.shard(newId);
		String oldMember = member(oldId, tenant);
		String newMember = member(newId, tenant);
		long ttl = this.retentionMillis + MARGIN_MILLIS + this.sweepGraceMillis;
		if (from == to) {
			this.scripts.renameInIndex(from, oldMember, newMember, oldId, newId, ttl);
			return;
		}
		RedisScripts.IndexEntry entry = this.scripts.readIndexEntry(from, oldMember, oldId);
		this.scripts.addIndexEntry(to, newMember, tenant, newId, entry, ttl);
		this.scripts.removeIndexEntry(from, oldMember, tenant, oldId);
	}

	/**
	 * Ends idle and over-age sessions, retires vanished ones and reschedules the checks
	 * of live ones.
	 * @param liveUser told the user of every live session checked
	 * @return the sessions this sweep ended
	 */
	List<SessionStats> sweep(SessionLimits limits, Consumer<String> liveUser) {
		if (limits.maxSessions() > 0) {
			this.countingTenants = true;
		}
		Duration absolute = limits.absoluteTimeout();
		long absoluteMillis = (absolute != null) ? Math.max(1, absolute.toMillis()) : 0;
		List<SessionStats> ended = new ArrayList<>();
		Set<String> tenantsSeen = new HashSet<>();
		try {
			for (int shard = 0; shard < RedisKeys.SHARDS; shard++) {
				sweep(shard, absoluteMillis, ended, tenantsSeen, liveUser);
			}
		}
		catch (RuntimeException ex) {
			if (ended.isEmpty()) {
				throw ex;
			}
			// the sessions this sweep ended before the store failed still get their end
			// events; the next sweep meets the failure again if it lasts
			logger.debug("Sweep stopped by a store failure after ending {} session(s)", ended.size(), ex);
			return ended;
		}
		if (this.countingTenants) {
			// a tenant's count lives as long as the index entries of its live sessions
			long ttl = this.retentionMillis + MARGIN_MILLIS + this.sweepGraceMillis;
			for (String tenant : tenantsSeen) {
				this.scripts.keepTenantCountAlive(tenant, ttl);
			}
		}
		return ended;
	}

	private void sweep(int shard, long absoluteMillis, List<SessionStats> ended, Set<String> tenantsSeen,
			Consumer<String> liveUser) {
		for (int batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
			List<String> due = this.scripts.listDue(shard, SWEEP_BATCH);
			List<byte[]> reschedule = new ArrayList<>();
			for (String member : due) {
				String sessionId = sessionIdOf(member);
				RedisScripts.Check check;
				try {
					check = this.scripts.checkSession(sessionId, absoluteMillis, this.retentionMillis);
				}
				catch (RuntimeException ex) {
					// the check may have ended the session with its reply lost
					rememberUncertain(sessionId);
					throw ex;
				}
				boolean uncertain = this.uncertain.remove(sessionId);
				if (check instanceof RedisScripts.Check.Gone) {
					retire(member, sessionId, 0);
				}
				else if (check instanceof RedisScripts.Check.EndedBefore before) {
					SessionStats lost = uncertain ? endedByLostCheck(sessionId) : null;
					if (lost != null) {
						// this node's check ended it and its reply was lost: the end is
						// published now, as no other node saw it end
						ended.add(lost);
					}
					retire(member, sessionId, before.endedMicros());
				}
				else if (check instanceof RedisScripts.Check.Ended now) {
					ended.add(now.stats());
					retire(now.stats());
				}
				else if (check instanceof RedisScripts.Check.Live live) {
					tenantsSeen.add(tenantOf(member));
					reschedule.add(ScriptArgs.bytes(member));
					reschedule.add(ScriptArgs.bytes(Long.toString(live.nextMillis())));
					if (!live.user().isEmpty()) {
						liveUser.accept(live.user());
					}
				}
			}
			if (!reschedule.isEmpty()) {
				this.scripts.rescheduleChecks(shard, MARGIN_MILLIS + this.retentionMillis, reschedule);
			}
			if (due.size() < SWEEP_BATCH) {
				break;
			}
		}
	}

	private void rememberUncertain(String sessionId) {
		if (this.uncertain.size() >= UNCERTAIN_MAX) {
			// a crude bound: forgetting costs at most an event lost to a lost reply
			this.uncertain.clear();
		}
		this.uncertain.add(sessionId);
	}

	/** The stats of a session that a check of this node ended by its timeouts. */
	private @Nullable SessionStats endedByLostCheck(String sessionId) {
		SessionStats stats = this.scripts.readStats(sessionId);
		boolean byCheck = stats != null
				&& ("idle-timeout".equals(stats.endReason()) || "absolute-timeout".equals(stats.endReason()));
		return byCheck ? stats : null;
	}

	/**
	 * Sessions with a status, most recently active first. Live sessions are read from the
	 * live index by next sweep check (a close proxy of last activity), ended ones from
	 * the history by end time; at most a few times {@code max} records are read.
	 */
	List<SessionStats> findByStatus(SessionStatus status, int max) {
		if (max <= 0) {
			return List.of();
		}
		// every shard's most recent: about twice the sessions asked for, spread over the
		// shards
		long window = Math.min(Integer.MAX_VALUE, (2L * max + 100) / RedisKeys.SHARDS + max);
		boolean live = status == SessionStatus.ACTIVE;
		List<SessionStats> result = new ArrayList<>();
		for (int shard = 0; shard < RedisKeys.SHARDS; shard++) {
			for (String member : this.scripts.newestInIndex(shard, live, window)) {
				SessionStats stats = this.scripts.readStats(live ? sessionIdOf(member) : member);
				if (stats != null && stats.status() == status) {
					result.add(stats);
				}
			}
		}
		result.sort(Comparator.comparing(SessionStats::lastActivity).reversed());
		return (result.size() > max) ? List.copyOf(result.subList(0, max)) : result;
	}

	/**
	 * Finds a session by its reference: each shard's references map is asked (one
	 * {@code HGET} per shard, whatever the number of sessions) until one holds it, and
	 * the session it names is read. Sessions indexed before the references existed are
	 * not found.
	 * @param reference the reference ({@link SessionIds#shortForm})
	 * @return the session, live or from history, or {@code null}
	 */
	@Nullable SessionStats findByReference(String reference) {
		for (int shard = 0; shard < RedisKeys.SHARDS; shard++) {
			String sessionId = this.scripts.referencedSession(shard, reference);
			if (sessionId != null && reference.equals(SessionIds.shortForm(sessionId))) {
				SessionStats stats = this.scripts.readStats(sessionId);
				if (stats != null) {
					return stats;
				}
			}
		}
		return null;
	}

	long activeSessions() {
		return this.scripts.activeSessions();
	}

	/**
	 * A tenant as stored in records and index members: {@code ""} or {@code t:<tenant>}.
	 */
	static String storedTenant(@Nullable String tenant) {
		return (tenant != null) ? "t:" + tenant : "";
	}

	private static String member(String sessionId, String tenant) {
		return sessionId + ' ' + tenant;
	}

	private static String sessionIdOf(String member) {
		int space = member.indexOf(' ');
		return (space >= 0) ? member.substring(0, space) : member;
	}

	private static String tenantOf(String member) {
		int space = member.indexOf(' ');
		return (space >= 0) ? member.substring(space + 1) : "";
	}

}
