package io.github.sessiongate.web;

import java.lang.reflect.Proxy;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests bypass the gate: the served path (servlet path + path info) is matched,
 * and a path that could be read two ways is always gated, whatever a container lets
 * through to the filter.
 */
class ServedPathTests {

	private final PathPatterns excluded = PathPatterns.of(List.of("*.css", "/static/**", "/health"));

	@ParameterizedTest(name = "{0} served as {1}{2} -> excluded={3}")
	@CsvSource(delimiter = '|', nullValues = "null",
			value = { "/site.css | /site.css | null | true", "/static/a/b.js | /static | /a/b.js | true",
					"/health | /health | null | true", "/healthz | /healthz | null | false",
					// dressed up: served as another path, or ambiguous
					"/slow;.css | /slow | null | false", "/static%2Fx.css | /static/x.css | null | false",
					"/a%5Cb.css | /a\\b.css | null | false", "/%2e%2e/admin.css | /../admin.css | null | false",
					"/x%252F.css | /x%2F.css | null | false", "/static/../admin | /static/../admin | null | false",
					"/static/./a.css | /static/./a.css | null | false" })
	void isExcludedWhenPathThenOnlyUnambiguousServedPathsMatch(String uri, String servletPath, String pathInfo,
			boolean expected) {
		assertThat(ServedPath.isExcluded(request(uri, servletPath, pathInfo), this.excluded)).isEqualTo(expected);
	}

	private static HttpServletRequest request(String uri, String servletPath, String pathInfo) {
		return (HttpServletRequest) Proxy.newProxyInstance(ServedPathTests.class.getClassLoader(),
				new Class<?>[] { HttpServletRequest.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getRequestURI" -> uri;
					case "getServletPath" -> servletPath;
					case "getPathInfo" -> pathInfo;
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
