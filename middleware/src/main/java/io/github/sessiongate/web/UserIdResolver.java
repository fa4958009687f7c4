package io.github.sessiongate.web;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the authenticated user of a request. The default reads
 * {@link HttpServletRequest#getUserPrincipal()}, which Spring Security and container
 * authentication both fill.
 *
 * @author SessionGate team
 */
@FunctionalInterface
public interface UserIdResolver {

	/** Longest user id the default resolver accepts; longer ones are ignored. */
	int MAX_USER_ID_LENGTH = 256;

	/**
	 * Resolves the user id.
	 * @param request the request
	 * @return the user id, or {@code null} for an anonymous request
	 */
	@Nullable String resolveUserId(HttpServletRequest request);

	/**
	 * The resolver that uses the request's principal name.
	 * @return the principal resolver
	 */
	static UserIdResolver principal() {
		return (request) -> {
			Principal principal = request.getUserPrincipal();
			String name = (principal != null) ? principal.getName() : null;
			return (name != null && !name.isEmpty() && name.length() <= MAX_USER_ID_LENGTH) ? name : null;
		};
	}

}
