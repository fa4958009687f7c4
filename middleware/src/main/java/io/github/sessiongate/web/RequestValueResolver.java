package io.github.sessiongate.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Reads one value (a tenant, a device id) from a request.
 *
 * @author SessionGate team
 * @see HeaderValueResolver
 */
@FunctionalInterface
public interface RequestValueResolver {

	/**
	 * Resolves the value.
	 * @param request the request
	 * @return the value, or {@code null} when the request has none
	 * @throws InvalidRequestValueException when a value is present but unacceptable
	 */
	@Nullable String resolve(HttpServletRequest request);

}
