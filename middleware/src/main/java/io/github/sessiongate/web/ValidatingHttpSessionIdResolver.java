package io.github.sessiongate.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.session.web.http.HttpSessionIdResolver;

/**
 * An {@link HttpSessionIdResolver} that drops unacceptable session ids before Spring
 * Session looks them up: malformed ids (so garbage never reaches the session repository)
 * and, optionally, ids of sessions that belong to another tenant. A request carrying only
 * such ids is treated as a request without a session; if it needs one, it gets a new one.
 *
 * @author SessionGate team
 */
public final class ValidatingHttpSessionIdResolver implements HttpSessionIdResolver {

	private final HttpSessionIdResolver delegate;

	private final SessionIdValidator validator;

	private final @Nullable SessionIdGuard guard;

	/**
	 * Wraps a resolver with id validation only.
	 * @param delegate the resolver that reads ids (cookie, header)
	 * @param validator the id validator
	 */
	public ValidatingHttpSessionIdResolver(HttpSessionIdResolver delegate, SessionIdValidator validator) {
		this(delegate, validator, null);
	}

	/**
	 * Wraps a resolver with id validation and a further check of well-formed ids.
	 * @param delegate the resolver that reads ids (cookie, header)
	 * @param validator the id validator
	 * @param guard decides whether a well-formed id may be used for the request
	 */
	public ValidatingHttpSessionIdResolver(HttpSessionIdResolver delegate, SessionIdValidator validator,
			@Nullable SessionIdGuard guard) {
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
		this.validator = Objects.requireNonNull(validator, "validator cannot be null");
		this.guard = guard;
	}

	@Override
	public List<String> resolveSessionIds(HttpServletRequest request) {
		List<String> ids = this.delegate.resolveSessionIds(request);
		if (ids.isEmpty()) {
			return ids;
		}
		List<String> accepted = null;
		for (int i = 0; i < ids.size(); i++) {
			String id = ids.get(i);
			boolean ok = this.validator.isValid(id) && (this.guard == null || this.guard.accept(request, id));
			if (!ok && accepted == null) {
				// the first refused id: copy what was accepted so far (the common case,
				// every id accepted, copies nothing)
				accepted = new ArrayList<>(ids.subList(0, i));
			}
			else if (ok && accepted != null) {
				accepted.add(id);
			}
		}
		return (accepted != null) ? accepted : ids;
	}

	@Override
	public void setSessionId(HttpServletRequest request, HttpServletResponse response, String sessionId) {
		this.delegate.setSessionId(request, response, sessionId);
	}

	@Override
	public void expireSession(HttpServletRequest request, HttpServletResponse response) {
		this.delegate.expireSession(request, response);
	}

	/**
	 * Decides whether a well-formed session id may be used for a request.
	 */
	@FunctionalInterface
	public interface SessionIdGuard {

		/**
		 * Checks an id.
		 * @param request the request
		 * @param sessionId the well-formed id
		 * @return {@code true} to let Spring Session look the id up
		 */
		boolean accept(HttpServletRequest request, String sessionId);

	}

}
