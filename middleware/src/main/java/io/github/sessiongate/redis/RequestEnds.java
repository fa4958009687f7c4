package io.github.sessiongate.redis;

import io.github.sessiongate.ledger.Permit;
import io.github.sessiongate.ledger.RequestOutcome;

/**
 * Ends requests: one script releases the request's lease and records its outcome and,
 * with {@link SessionGateRedisSessionRepository}, saves what the request changed in its
 * session. A request whose session id changed meanwhile follows the id to its new record.
 *
 * @author SessionGate team
 */
final class RequestEnds {

	/** Tries to follow an id change that is between its two steps. */
	private static final int ATTEMPTS = 6;

	private final RedisScripts scripts;

	private final Leases leases;

	private final RequestScopes scopes;

	private final long keepMillis;

	RequestEnds(RedisScripts scripts, Leases leases, RequestScopes scopes, long keepMillis) {
		this.scripts = scripts;
		this.leases = leases;
		this.scopes = scopes;
		this.keepMillis = keepMillis;
	}

	void end(Permit permit, RequestOutcome outcome) {
		if (!(permit instanceof RedisPermit redisPermit)) {
			throw new IllegalArgumentException("permit was not issued by this ledger: " + permit);
		}
		this.leases.ended(redisPermit);
		RedisScripts.EndArgs args = new RedisScripts.EndArgs(redisPermit.leaseId(), outcome.durationNanos(),
				outcome.error(), this.keepMillis, this.leases.leaseMillis());
		String sessionId = redisPermit.sessionId();
		StoredSession session = redisPermit.takeSession();
		if (session != null) {
			this.scopes.requestEnded(session);
		}
		boolean followed = false;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			RedisScripts.EndReply reply;
			try {
				if (session != null && attempt == 0 && session.savableAtRequestEnd()
						&& sessionId.equals(session.getId())) {
					// one script ends the request and saves what it changed in its
					// session
					reply = this.scripts.endRequestAndSave(sessionId, args, session.changes());
					if (reply.saved()) {
						session.saved();
					}
				}
				else {
					reply = this.scripts.endRequest(sessionId, args);
				}
			}
			catch (RuntimeException ex) {
				// free the permit once Redis answers again rather than after the lease
				// time
				this.leases.abandon(redisPermit, false);
				this.leases.storeFailed();
				throw ex;
			}
			if (reply.movedTo() != null) {
				sessionId = reply.movedTo();
				redisPermit.sessionId(sessionId);
				followed = true;
			}
			else if (reply.gone() && followed) {
				// the id change is between its two steps: the new record is written next
				pause(attempt + 1);
			}
			else {
				this.leases.freed(redisPermit);
				return;
			}
		}
	}

	private static void pause(int attempt) {
		try {
			Thread.sleep(2L * attempt);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
