package io.github.sessiongate.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.events.RequestRejectedEvent;
import io.github.sessiongate.events.UserBoundEvent;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.web.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;

/**
 * Binds the user to the session at login, enforcing
 * {@code sessiongate.limits.max-sessions-per-user}: under {@code end-oldest} the user's
 * least recently active session is ended, under {@code reject-new} the login is refused
 * with a {@link SessionGateLimitExceededException}. The starter adds it to Spring
 * Security's session management; it runs before the session fixation protection, whose id
 * change the ledger then follows.
 *
 * <p>
 * A session the gate has not tracked yet (the login is its first request) is bound by the
 * gate filter on its next request, under the same policy.
 *
 * @author SessionGate team
 */
public final class SessionGateAuthenticationStrategy implements SessionAuthenticationStrategy {

	private final Supplier<SessionGate> gate;

	/**
	 * Creates the strategy.
	 * @param gate supplies the gate (looked up lazily, at the first login)
	 */
	public SessionGateAuthenticationStrategy(Supplier<SessionGate> gate) {
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
	}

	@Override
	public void onAuthentication(Authentication authentication, HttpServletRequest request,
			HttpServletResponse response) {
		String userId = AuthenticationUserIdResolver.userId(authentication, new AuthenticationTrustResolverImpl());
		HttpSession session = request.getSession(false);
		if (userId == null || session == null) {
			return;
		}
		SessionGate gate = this.gate.get();
		String sessionId = session.getId();
		BindResult result;
		try {
			result = gate.ledger().bindUser(sessionId, userId, gate.limits());
		}
		catch (RuntimeException ex) {
			gate.storeFailed("bind", ex);
			return;
		}
		gate.sessionsEnded(result.endedSessions(), true);
		if (result.outcome() == BindResult.Outcome.REJECTED) {
			gate.countRejection(Limit.SESSIONS_PER_USER);
			gate.events()
				.publish(new RequestRejectedEvent(gate.clock().instant(), Limit.SESSIONS_PER_USER, sessionId, userId,
						gate.clientIpResolver().resolveClientIp(request), Duration.ZERO));
			throw new SessionGateLimitExceededException(Problem.of(Limit.SESSIONS_PER_USER, Duration.ZERO));
		}
		if (result.outcome() == BindResult.Outcome.BOUND) {
			gate.events().publish(new UserBoundEvent(gate.clock().instant(), sessionId, userId));
		}
	}

}
