package io.github.sessiongate.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Locale;

import io.github.sessiongate.internal.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Answers refused requests by content negotiation. Every answer has the problem's status,
 * {@code Retry-After} in seconds when there is a retry hint, and
 * {@code Cache-Control: no-store}.
 * <ul>
 * <li>API clients get an RFC 9457 {@code application/problem+json} body with a
 * {@code limit} member for limit rejections and never any internal detail.</li>
 * <li>A browser, that is a request whose {@code Accept} header ranks {@code text/html}
 * (or {@code application/xhtml+xml}) above every JSON type, gets the application's own
 * error page: the handler calls {@link HttpServletResponse#sendError(int, String)} with
 * the problem's title, so Spring Boot's error view or the container's error page renders
 * it. A bare wildcard ({@code Accept: *}{@code /*}) does not count as asking for
 * HTML.</li>
 * </ul>
 * An API client sees: <pre>
 * HTTP/1.1 429 Too Many Requests
 * Retry-After: 1
 * Content-Type: application/problem+json
 *
 * {"type":"urn:sessiongate:problem:session-concurrency","title":"Too Many Requests","status":429,
 *  "detail":"Too many concurrent requests for this session.","limit":"session-concurrency","retryAfter":1}
 * </pre> Use {@link #alwaysJson()} to answer problem+json to browsers too.
 *
 * @author SessionGate team
 */
public final class ProblemJsonRejectionHandler implements RejectionHandler {

	/** The problem+json media type. */
	public static final String MEDIA_TYPE = "application/problem+json";

	private final boolean errorPageForBrowsers;

	/**
	 * A handler that answers browsers with the application's error page and everyone else
	 * with problem+json.
	 */
	public ProblemJsonRejectionHandler() {
		this(true);
	}

	private ProblemJsonRejectionHandler(boolean errorPageForBrowsers) {
		this.errorPageForBrowsers = errorPageForBrowsers;
	}

	/**
	 * A handler that answers every client with problem+json, whatever it accepts.
	 * @return the handler
	 */
	public static ProblemJsonRejectionHandler alwaysJson() {
		return new ProblemJsonRejectionHandler(false);
	}

	@Override
	public void reject(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		long retryAfter = problem.retryAfterSeconds();
		if (retryAfter >= 0) {
			response.setHeader("Retry-After", Long.toString(retryAfter));
		}
		response.setHeader("Cache-Control", "no-store");
		if (this.errorPageForBrowsers && prefersHtml(request.getHeaders("Accept"))) {
			response.sendError(problem.status(), problem.title());
			return;
		}
		response.setStatus(problem.status());
		response.setContentType(MEDIA_TYPE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		byte[] body = toJson(problem, request.getRequestURI()).getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/**
	 * Whether the {@code Accept} headers rank an HTML type strictly above every JSON type
	 * ({@code application/json}, {@code application/problem+json},
	 * {@code application/*}). Wildcards ({@code *}{@code /*}, {@code text/*}) count for
	 * neither side.
	 * @param accept the values of the {@code Accept} headers, or {@code null}
	 * @return {@code true} for a browser asking for a page
	 */
	static boolean prefersHtml(@Nullable Enumeration<String> accept) {
		if (accept == null) {
			return false;
		}
		double html = 0;
		double json = 0;
		while (accept.hasMoreElements()) {
			String header = accept.nextElement();
			if (header == null) {
				continue;
			}
			for (String range : header.split(",")) {
				String[] parts = range.split(";");
				String type = parts[0].trim().toLowerCase(Locale.ROOT);
				double quality = quality(parts);
				if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
					html = Math.max(html, quality);
				}
				else if (type.equals("application/json") || type.equals(MEDIA_TYPE) || type.equals("application/*")) {
					json = Math.max(json, quality);
				}
			}
		}
		return html > 0 && html > json;
	}

	private static double quality(String[] parameters) {
		for (int i = 1; i < parameters.length; i++) {
			String parameter = parameters[i].trim();
			if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
					&& parameter.charAt(1) == '=') {
				try {
					double quality = Double.parseDouble(parameter.substring(2).trim());
					return (quality >= 0 && quality <= 1) ? quality : 0;
				}
				catch (NumberFormatException ex) {
					return 0;
				}
			}
		}
		return 1;
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
