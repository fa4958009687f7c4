package io.github.sessiongate.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.session.web.http.HttpSessionIdResolver;

/**
 * An {@link HttpSessionIdResolver} that drops malformed session ids before Spring Session
 * looks them up, so garbage never reaches the session repository: a request carrying one
 * is treated as a request without a session.
 *
 * @author SessionGate team
 */
public final class ValidatingHttpSessionIdResolver implements HttpSessionIdResolver {

	private final HttpSessionIdResolver delegate;

	private final SessionIdValidator validator;

	/**
	 * Wraps a resolver.
	 * @param delegate the resolver that reads ids (cookie, header)
	 * @param validator the id validator
	 */
	public ValidatingHttpSessionIdResolver(HttpSessionIdResolver delegate, SessionIdValidator validator) {
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
		this.validator = Objects.requireNonNull(validator, "validator cannot be null");
	}

	@Override
	public List<String> resolveSessionIds(HttpServletRequest request) {
		List<String> ids = this.delegate.resolveSessionIds(request);
		if (ids.isEmpty()) {
			return ids;
		}
		List<String> valid = new ArrayList<>(ids.size());
		for (String id : ids) {
			if (this.validator.isValid(id)) {
				valid.add(id);
			}
		}
		return valid;
	}

	@Override
	public void setSessionId(HttpServletRequest request, HttpServletResponse response, String sessionId) {
		this.delegate.setSessionId(request, response, sessionId);
	}

	@Override
	public void expireSession(HttpServletRequest request, HttpServletResponse response) {
		this.delegate.expireSession(request, response);
	}

}
