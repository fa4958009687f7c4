package io.github.sessiongate.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers refused requests with an RFC 9457 {@code application/problem+json} body, the
 * problem's status, {@code Retry-After} in seconds when there is a retry hint, and
 * {@code Cache-Control: no-store}. The body carries a {@code limit} member for limit
 * rejections and never any internal detail: <pre>
 * HTTP/1.1 429 Too Many Requests
 * Retry-After: 1
 * Content-Type: application/problem+json
 *
 * {"type":"urn:sessiongate:problem:session-concurrency","title":"Too Many Requests","status":429,
 *  "detail":"Too many concurrent requests for this session.","limit":"session-concurrency","retryAfter":1}
 * </pre>
 *
 * @author SessionGate team
 */
public final class ProblemJsonRejectionHandler implements RejectionHandler {

	/** The problem+json media type. */
	public static final String MEDIA_TYPE = "application/problem+json";

	@Override
	public void reject(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		response.setStatus(problem.status());
		long retryAfter = problem.retryAfterSeconds();
		if (retryAfter >= 0) {
			response.setHeader("Retry-After", Long.toString(retryAfter));
		}
		response.setHeader("Cache-Control", "no-store");
		response.setContentType(MEDIA_TYPE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		byte[] body = toJson(problem, request.getRequestURI()).getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	static String toJson(Problem problem, String instance) {
		StringBuilder json = new StringBuilder(256);
		json.append("{\"type\":");
		Json.appendString(json, problem.type());
		json.append(",\"title\":");
		Json.appendString(json, problem.title());
		json.append(",\"status\":").append(problem.status());
		json.append(",\"detail\":");
		Json.appendString(json, problem.detail());
		json.append(",\"instance\":");
		Json.appendString(json, instance);
		if (problem.limit() != null) {
			json.append(",\"limit\":");
			Json.appendString(json, problem.limit().tag());
		}
		long retryAfter = problem.retryAfterSeconds();
		if (retryAfter >= 0) {
			json.append(",\"retryAfter\":").append(retryAfter);
		}
		return json.append('}').toString();
	}

}
