package io.github.sessiongate.autoconfigure;

import java.io.IOException;
import java.util.Objects;

import io.github.sessiongate.SessionGate;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * An {@link AuthenticationFailureHandler} that answers a login refused by the
 * sessions-per-user limit with the gate's problem response ({@code 409} with
 * {@code application/problem+json}, {@code limit: sessions-per-user}) and hands every
 * other failure to a delegate: <pre>{@code
 * http.formLogin((login) -> login.failureHandler(
 *         new SessionGateAuthenticationFailureHandler(gate, new SimpleUrlAuthenticationFailureHandler("/login?error"))));
 * }</pre>
 *
 * @author SessionGate team
 */
public final class SessionGateAuthenticationFailureHandler implements AuthenticationFailureHandler {

	private final SessionGate gate;

	private final AuthenticationFailureHandler delegate;

	/**
	 * Creates the handler.
	 * @param gate the gate whose rejection handler writes the problem
	 * @param delegate the handler for every other failure
	 */
	public SessionGateAuthenticationFailureHandler(SessionGate gate, AuthenticationFailureHandler delegate) {
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		if (exception instanceof SessionGateLimitExceededException limitExceeded) {
			this.gate.rejectionHandler().reject(request, response, limitExceeded.getProblem());
			return;
		}
		this.delegate.onAuthenticationFailure(request, response, exception);
	}

}
