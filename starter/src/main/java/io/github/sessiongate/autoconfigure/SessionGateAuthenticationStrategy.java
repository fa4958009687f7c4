package io.github.sessiongate.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.web.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;

/**
 * Binds the user to the session at login, enforcing
 * {@code sessiongate.limits.max-sessions-per-user}: under {@code end-oldest} the user's
 * least recently active session is ended, under {@code reject-new} the login is refused
 * with a {@link SessionGateLimitExceededException}. The starter adds it to Spring
 * Security's session management, after Spring Security's own strategies (fixation
 * protection, concurrent-session control), so a login Spring Security refuses is never
 * bound here.
 *
 * <p>
 * The limit is decided at login for every login, including one whose session is created
 * by the login request itself: the session starts being tracked then, the login counted
 * as its first request. A refused login goes through Spring Security's failure path
 * ({@code /login?error} for form login), never a successful login followed by refusals.
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
		if (userId == null) {
			return;
		}
		// the starter runs this after Spring Security's own strategies: the id was
		// rotated already (SessionIdChangeListener followed it), so no second rotation
		if (this.gate.get().bindUser(request, userId, false) == BindResult.Outcome.REJECTED) {
			throw new SessionGateLimitExceededException(Problem.of(Limit.SESSIONS_PER_USER, Duration.ZERO));
		}
	}

}
