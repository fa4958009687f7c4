package io.github.sessiongate.redis;

/**
 * Follows session id changes (session fixation protection). The two ids live in different
 * cluster slots: the state is taken from the old id (leaving a short-lived pointer that
 * requests still in progress follow when they end), then written under the new one, then
 * the indexes follow.
 *
 * @author SessionGate team
 */
final class SessionIdChanges {

	private final RedisScripts scripts;

	private final Leases leases;

	private final SessionIndex sessions;

	private final UserIndex users;

	SessionIdChanges(RedisScripts scripts, Leases leases, SessionIndex sessions, UserIndex users) {
		this.scripts = scripts;
		this.leases = leases;
		this.sessions = sessions;
		this.users = users;
	}

	/**
	 * @return {@code true} if the ledger knew the old id
	 */
	boolean change(String oldId, String newId) {
		if (oldId.equals(newId)) {
			return this.scripts.readStats(oldId) != null;
		}
		RedisScripts.MovedState state = this.scripts.moveSessionOut(oldId, newId, this.leases.leaseMillis() * 2);
		if (state == null) {
			return false;
		}
		this.scripts.moveSessionIn(newId, state);
		this.leases.sessionIdChanged(oldId, newId);
		this.sessions.rename(oldId, newId, state.field("tn"));
		String userId = state.field("u");
		if (!userId.isEmpty()) {
			this.users.rename(userId, oldId, newId);
		}
		return true;
	}

}
