package io.github.sessiongate.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The path a request is served under, for matching excluded paths: the servlet path plus
 * the path info — decoded, without path parameters, normalized by the container — never
 * the raw request URI, which a client can dress up ({@code /slow;.css} is served as
 * {@code /slow}). A request whose path cannot be matched unambiguously is never excluded:
 * an encoded {@code /} or {@code \}, a {@code ;} path parameter, a backslash, or a
 * {@code .} / {@code ..} segment.
 *
 * @author SessionGate team
 */
final class ServedPath {

	private ServedPath() {
	}

	/**
	 * Whether the request bypasses the gate.
	 * @param request the request
	 * @param excludedPaths the excluded path patterns
	 * @return {@code true} only when the served path matches unambiguously
	 */
	static boolean isExcluded(HttpServletRequest request, PathPatterns excludedPaths) {
		if (excludedPaths.isEmpty()) {
			return false;
		}
		String path = servedPath(request);
		return path != null && excludedPaths.matches(path);
	}

	/**
	 * The served path, or {@code null} when it is ambiguous.
	 * @param request the request
	 * @return the path within the application, starting with {@code /}
	 */
	static @Nullable String servedPath(HttpServletRequest request) {
		String uri = request.getRequestURI();
		if (uri == null || isAmbiguousRaw(uri)) {
			return null;
		}
		String servletPath = request.getServletPath();
		String pathInfo = request.getPathInfo();
		String path = (servletPath != null) ? servletPath : "";
		if (pathInfo != null) {
			path = path + pathInfo;
		}
		if (path.isEmpty()) {
			return "/";
		}
		if (path.charAt(0) != '/' || path.indexOf('\\') >= 0 || hasDotSegment(path)) {
			return null;
		}
		return path;
	}

	private static boolean isAmbiguousRaw(String uri) {
		if (uri.indexOf(';') >= 0 || uri.indexOf('\\') >= 0) {
			return true;
		}
		for (int i = uri.indexOf('%'); i >= 0 && i + 2 < uri.length(); i = uri.indexOf('%', i + 1)) {
			char hi = uri.charAt(i + 1);
			char lo = Character.toLowerCase(uri.charAt(i + 2));
			if ((hi == '2' && lo == 'f') || (hi == '5' && lo == 'c') || (hi == '2' && lo == 'e')
					|| (hi == '2' && lo == '5')) {
				// encoded '/', '\', '.' or '%' (double encoding)
				return true;
			}
		}
		return false;
	}

	private static boolean hasDotSegment(String path) {
		int length = path.length();
		for (int i = 0; i < length; i++) {
			if (path.charAt(i) == '.' && (i == 0 || path.charAt(i - 1) == '/')) {
				int end = (i + 1 < length && path.charAt(i + 1) == '.') ? i + 2 : i + 1;
				if (end == length || path.charAt(end) == '/') {
					return true;
				}
			}
		}
		return false;
	}

}
