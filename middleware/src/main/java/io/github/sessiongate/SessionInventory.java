package io.github.sessiongate;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A user's own view of their sessions: where they are signed in, and signing out one or
 * all other sessions. Answers from the ledger, so it is exact across nodes (and on Redis
 * Cluster) with a shared ledger. Obtained from {@link SessionGate#inventory()}; the
 * Spring Boot starter provides it as a bean.
 *
 * <p>
 * Always pass the user of the current request (the authenticated principal), never a user
 * id taken from the request's parameters: <pre>{@code
 * &#64;GetMapping("/my/sessions")
 * List<SessionInfo> sessions(Principal principal, HttpServletRequest request) {
 *     return inventory.sessionsOf(principal.getName(), request.getRequestedSessionId());
 * }
 * }</pre>
 *
 * <p>
 * Ended sessions are ended the way the admin API ends them: their data is deleted from
 * the session repository, their end is published (status {@code COMPLETED}, reason
 * {@value #END_REASON}) and their next request on any node finds no session.
 *
 * <p>
 * While the ledger's store is down (Redis unreachable, or the circuit breaker open),
 * every method throws {@link io.github.sessiongate.store.StoreUnavailableException} at
 * once, counted in {@code sessiongate.store.errors} (operation {@code inventory-read}, or
 * {@code end-session} for a failed end) and logged once per burst at {@code WARN}; the
 * starter's REST API answers {@code 503} then.
 *
 * @author SessionGate team
 */
public interface SessionInventory {

	/** The end reason of sessions a user ended through the inventory. */
	String END_REASON = "ended-by-user";

	/**
	 * The user's live sessions, most recent activity first.
	 * @param userId the user
	 * @param callerSessionId the id of the asking request's session (marked
	 * {@link SessionInfo#caller()}), or {@code null}
	 * @return the sessions, possibly empty
	 */
	List<SessionInfo> sessionsOf(String userId, @Nullable String callerSessionId);

	/**
	 * Ends one of the user's live sessions.
	 * @param userId the user
	 * @param reference the session's reference ({@link SessionInfo#reference()})
	 * @return {@code true} if it was ended; {@code false} for a reference that is not a
	 * live session of this user (another user's, unknown, ended or malformed: all
	 * answered the same way)
	 */
	boolean endSession(String userId, String reference);

	/**
	 * Ends all of the user's live sessions except the caller's.
	 * @param userId the user
	 * @param callerSessionId the session to keep
	 * @return how many sessions were ended
	 */
	int endOtherSessions(String userId, String callerSessionId);

}
