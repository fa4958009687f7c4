package io.github.sessiongate.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Simple path patterns for excluded paths: an exact path ({@code /health}), a prefix
 * ({@code /static/**} matches {@code /static} and everything below it) or an extension
 * ({@code *.css}). Paths are matched within the application (without the context path).
 *
 * @author SessionGate team
 */
public final class PathPatterns {

	private static final PathPatterns NONE = new PathPatterns(List.of());

	private final List<String> exact = new ArrayList<>();

	private final List<String> prefixes = new ArrayList<>();

	private final List<String> suffixes = new ArrayList<>();

	private final List<String> patterns;

	private PathPatterns(Collection<String> patterns) {
		this.patterns = List.copyOf(patterns);
		for (String pattern : this.patterns) {
			Objects.requireNonNull(pattern, "path pattern cannot be null");
			if (pattern.startsWith("*.") && pattern.length() > 2 && pattern.indexOf('*', 1) < 0) {
				this.suffixes.add(pattern.substring(1));
			}
			else if (pattern.startsWith("/") && pattern.endsWith("/**")
					&& pattern.indexOf('*') == pattern.length() - 2) {
				this.prefixes.add(pattern.substring(0, pattern.length() - 3));
			}
			else if (pattern.startsWith("/") && pattern.indexOf('*') < 0) {
				this.exact.add(pattern);
			}
			else {
				throw new IllegalArgumentException("Unsupported path pattern '" + pattern
						+ "': use an exact path (/health), a prefix (/static/**) or an extension (*.css)");
			}
		}
	}

	/**
	 * Compiles patterns.
	 * @param patterns the patterns
	 * @return the compiled patterns
	 * @throws IllegalArgumentException for an unsupported pattern
	 */
	public static PathPatterns of(Collection<String> patterns) {
		return patterns.isEmpty() ? NONE : new PathPatterns(patterns);
	}

	/**
	 * Whether any pattern matches the path.
	 * @param path the path within the application, starting with {@code /}
	 * @return {@code true} on a match
	 */
	public boolean matches(String path) {
		for (String candidate : this.exact) {
			if (path.equals(candidate)) {
				return true;
			}
		}
		for (String prefix : this.prefixes) {
			if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
				return true;
			}
		}
		for (String suffix : this.suffixes) {
			if (path.endsWith(suffix)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether there are no patterns.
	 * @return {@code true} when nothing is excluded
	 */
	public boolean isEmpty() {
		return this.patterns.isEmpty();
	}

	@Override
	public String toString() {
		return this.patterns.toString();
	}

}
