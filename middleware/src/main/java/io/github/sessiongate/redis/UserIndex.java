package io.github.sessiongate.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionOrigin;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;

/**
 * The user-to-sessions index: binds users to sessions under the sessions-per-user limit
 * (decided by one script on the user's index, which serializes simultaneous binds of one
 * user), follows id changes and keeps a user's index alive while one of its sessions
 * lives.
 *
 * @author SessionGate team
 */
final class UserIndex {

	private final RedisScripts scripts;

	private final SessionIndex sessions;

	/** A user's index is kept alive by binds and by sweeps of its live sessions. */
	private final long ttlMillis;

	UserIndex(RedisScripts scripts, SessionIndex sessions, long retentionMillis) {
		this.scripts = scripts;
		this.sessions = sessions;
		this.ttlMillis = retentionMillis + SessionIndex.MARGIN_MILLIS + Duration.ofHours(1).toMillis();
	}

	/**
	 * Binds a user. The session and the user live in different cluster slots, so a bind
	 * takes a few round trips; the limit itself is decided by one script.
	 */
	BindResult bind(String sessionId, String userId, SessionLimits limits, SessionOrigin login) {
		SessionStats session = this.scripts.readStats(sessionId);
		if (session == null || session.status().isEnded()) {
			return BindResult.of(BindResult.Outcome.UNKNOWN_SESSION);
		}
		if (userId.equals(session.userId())) {
			if (!login.isEmpty() && this.scripts.setSessionUser(sessionId, userId, login) == null) {
				return BindResult.of(BindResult.Outcome.UNKNOWN_SESSION);
			}
			return BindResult.of(BindResult.Outcome.ALREADY_BOUND);
		}
		// the record names the user first, so a concurrent bind that ends this session
		// to make room ends a session of this user, as it would in memory
		String previous = this.scripts.setSessionUser(sessionId, userId, login);
		if (previous == null) {
			return BindResult.of(BindResult.Outcome.UNKNOWN_SESSION);
		}
		List<RedisScripts.KnownSession> known = new ArrayList<>();
		if (limits.maxSessionsPerUser() > 0) {
			// tell the script which indexed sessions are still live, and how recently
			// they were active; sessions bound meanwhile count as live
			for (String other : this.scripts.liveSessionsOfUser(userId)) {
				if (!other.equals(sessionId)) {
					SessionStats stats = this.scripts.readStats(other);
					String state = (stats == null) ? "gone" : stats.status().isEnded() ? "ended" : "live";
					known.add(new RedisScripts.KnownSession(other, state,
							(stats != null) ? RedisScripts.micros(stats.lastActivity()) : 0));
				}
			}
		}
		String policy = (limits.sessionsPerUserPolicy() == SessionsPerUserPolicy.END_OLDEST) ? "end-oldest"
				: "reject-new";
		List<String> ending = this.scripts.bindUser(userId, sessionId, limits.maxSessionsPerUser(), policy,
				this.ttlMillis, known);
		if (ending == null) {
			this.scripts.resetSessionUser(sessionId, userId, previous);
			return BindResult.of(BindResult.Outcome.REJECTED);
		}
		List<SessionStats> ended = new ArrayList<>();
		for (String other : ending) {
			SessionStats stats = this.sessions.end(other, SessionStatus.COMPLETED, "session-limit");
			if (stats != null) {
				ended.add(stats);
			}
		}
		if (!previous.isEmpty() && !previous.equals(userId)) {
			this.scripts.unbindUser(previous, sessionId);
		}
		return new BindResult(BindResult.Outcome.BOUND, ended);
	}

	/** The sessions of a user, live and from history, most recently active first. */
	List<SessionStats> sessionsOf(String userId) {
		List<SessionStats> result = new ArrayList<>();
		for (String id : new LinkedHashSet<>(this.scripts.sessionsOfUser(userId))) {
			SessionStats stats = this.scripts.readStats(id);
			if (stats != null && userId.equals(stats.userId())) {
				result.add(stats);
			}
		}
		result.sort(Comparator.comparing(SessionStats::lastActivity).reversed());
		return result;
	}

	void rename(String userId, String oldId, String newId) {
		this.scripts.renameUserSession(userId, oldId, newId);
	}

	void keepAlive(String userId) {
		this.scripts.keepUserAlive(userId, this.ttlMillis);
	}

}
