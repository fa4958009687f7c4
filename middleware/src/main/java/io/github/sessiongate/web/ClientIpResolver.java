package io.github.sessiongate.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides which address a request comes from.
 *
 * @author SessionGate team
 * @see TrustedProxyClientIpResolver
 */
@FunctionalInterface
public interface ClientIpResolver {

	/**
	 * Resolves the client address.
	 * @param request the request
	 * @return the client IP literal, never {@code null}
	 */
	String resolveClientIp(HttpServletRequest request);

}
