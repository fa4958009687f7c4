package io.github.sessiongate.web;

import java.util.Enumeration;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Recognises a stream when it is admitted: a request whose {@code Accept} asks for
 * {@code text/event-stream}, a WebSocket upgrade ({@code Upgrade: websocket}), or a
 * request whose served path matches {@code streams.paths} (matched as excluded paths are:
 * the path the container serves, never the raw URI).
 *
 * @author SessionGate team
 */
final class StreamRequests {

	private static final String EVENT_STREAM = "text/event-stream";

	private StreamRequests() {
	}

	static boolean isStream(HttpServletRequest request, PathPatterns streamPaths) {
		return acceptsEventStream(request) || isWebSocketUpgrade(request)
				|| (!streamPaths.isEmpty() && matches(request, streamPaths));
	}

	private static boolean acceptsEventStream(HttpServletRequest request) {
		Enumeration<String> accepts = request.getHeaders("Accept");
		while (accepts != null && accepts.hasMoreElements()) {
			String accept = accepts.nextElement();
			if (accept != null && containsIgnoreCase(accept, EVENT_STREAM)) {
				return true;
			}
		}
		return false;
	}

	/** Case-insensitive {@code contains}, without a lower-cased copy per request. */
	private static boolean containsIgnoreCase(String value, String part) {
		for (int at = 0; at + part.length() <= value.length(); at++) {
			if (value.regionMatches(true, at, part, 0, part.length())) {
				return true;
			}
		}
		return false;
	}

	private static boolean isWebSocketUpgrade(HttpServletRequest request) {
		String upgrade = request.getHeader("Upgrade");
		return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
	}

	private static boolean matches(HttpServletRequest request, PathPatterns streamPaths) {
		String path = ServedPath.servedPath(request);
		return path != null && streamPaths.matches(path);
	}

}
