package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.web.Problem;
import org.springframework.security.web.authentication.session.SessionAuthenticationException;

/**
 * Thrown at login when binding the user would pass
 * {@code sessiongate.limits.max-sessions-per-user} under the {@code reject-new} policy.
 * Spring Security then refuses the login through its failure handler, as it does for its
 * own concurrent-session control; {@link SessionGateAuthenticationFailureHandler} answers
 * with the problem response instead.
 *
 * @author SessionGate team
 */
public class SessionGateLimitExceededException extends SessionAuthenticationException {

	private final transient Problem problem;

	/**
	 * Creates the exception.
	 * @param problem the problem the gate answers such a bind with
	 */
	public SessionGateLimitExceededException(Problem problem) {
		super(problem.detail());
		this.problem = problem;
	}

	/**
	 * The problem response for the refused login.
	 * @return the problem
	 */
	public Problem getProblem() {
		return this.problem;
	}

}
