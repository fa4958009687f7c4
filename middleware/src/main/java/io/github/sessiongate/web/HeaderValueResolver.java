package io.github.sessiongate.web;

import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Reads a value from a request header and validates it: at most {@code maxLength}
 * characters of {@code A-Z a-z 0-9 . _ : -}. An absent or empty header is no value;
 * anything else that does not validate is rejected with
 * {@link InvalidRequestValueException}. <pre>{@code
 * RequestValueResolver tenant = HeaderValueResolver.of("X-Tenant-Id");
 * }</pre>
 *
 * @author SessionGate team
 */
public final class HeaderValueResolver implements RequestValueResolver {

	/** Default longest accepted value. */
	public static final int DEFAULT_MAX_LENGTH = 64;

	private final String headerName;

	private final int maxLength;

	/**
	 * Creates a resolver.
	 * @param headerName the header to read
	 * @param maxLength the longest accepted value
	 */
	public HeaderValueResolver(String headerName, int maxLength) {
		Objects.requireNonNull(headerName, "headerName cannot be null");
		if (headerName.isBlank()) {
			throw new IllegalArgumentException("headerName cannot be blank");
		}
		if (maxLength < 1) {
			throw new IllegalArgumentException("maxLength must be at least 1, was " + maxLength);
		}
		this.headerName = headerName;
		this.maxLength = maxLength;
	}

	/**
	 * Creates a resolver with the default maximum length.
	 * @param headerName the header to read
	 * @return the resolver
	 */
	public static HeaderValueResolver of(String headerName) {
		return new HeaderValueResolver(headerName, DEFAULT_MAX_LENGTH);
	}

	@Override
	public @Nullable String resolve(HttpServletRequest request) {
		String value = request.getHeader(this.headerName);
		if (value == null || value.isEmpty()) {
			return null;
		}
		if (value.length() > this.maxLength) {
			throw new InvalidRequestValueException(this.headerName,
					"Header " + this.headerName + " is longer than " + this.maxLength + " characters.");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == '.' || c == ':';
			if (!ok) {
				throw new InvalidRequestValueException(this.headerName,
						"Header " + this.headerName + " may only contain A-Z, a-z, 0-9, '.', '_', ':' and '-'.");
			}
		}
		return value;
	}

	/**
	 * The header this resolver reads.
	 * @return the header name
	 */
	public String getHeaderName() {
		return this.headerName;
	}

	@Override
	public String toString() {
		return "HeaderValueResolver[" + this.headerName + "]";
	}

}
