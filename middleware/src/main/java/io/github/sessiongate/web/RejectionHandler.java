package io.github.sessiongate.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes the response for a request the gate refuses. The default,
 * {@link ProblemJsonRejectionHandler}, writes {@code application/problem+json}.
 *
 * @author SessionGate team
 */
@FunctionalInterface
public interface RejectionHandler {

	/**
	 * Writes the rejection. The application is not called for this request.
	 * @param request the request
	 * @param response the response (not committed)
	 * @param problem what to answer
	 * @throws IOException if writing fails
	 */
	void reject(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException;

}
