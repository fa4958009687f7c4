package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.web.UserIdResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Reads the user id from Spring Security's {@link Authentication}: the name of an
 * authenticated, non-anonymous authentication.
 *
 * @author SessionGate team
 */
final class AuthenticationUserIdResolver implements UserIdResolver {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	@Override
	public @Nullable String resolveUserId(HttpServletRequest request) {
		return userId(SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication(),
				this.trustResolver);
	}

	static @Nullable String userId(@Nullable Authentication authentication, AuthenticationTrustResolver trustResolver) {
		if (authentication == null || !authentication.isAuthenticated() || trustResolver.isAnonymous(authentication)) {
			return null;
		}
		String name = authentication.getName();
		return (name != null && !name.isEmpty() && name.length() <= MAX_USER_ID_LENGTH) ? name : null;
	}

}
