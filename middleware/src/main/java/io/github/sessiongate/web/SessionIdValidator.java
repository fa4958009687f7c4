package io.github.sessiongate.web;

import org.jspecify.annotations.Nullable;

/**
 * Checks the shape of a session id before anything looks it up in a store: its length and
 * its alphabet ({@code A-Z a-z 0-9 - _}, which covers UUIDs and URL-safe Base64).
 * Anything else is treated as no session id at all.
 *
 * @author SessionGate team
 */
public final class SessionIdValidator {

	private static final SessionIdValidator DEFAULT = new SessionIdValidator(16, 128);

	private final int minLength;

	private final int maxLength;

	/**
	 * Creates a validator.
	 * @param minLength the shortest valid id
	 * @param maxLength the longest valid id
	 */
	public SessionIdValidator(int minLength, int maxLength) {
		if (minLength < 1 || maxLength < minLength) {
			throw new IllegalArgumentException(
					"session id lengths must satisfy 1 <= min <= max, were " + minLength + " and " + maxLength);
		}
		this.minLength = minLength;
		this.maxLength = maxLength;
	}

	/**
	 * The default validator: 16 to 128 characters of {@code A-Z a-z 0-9 - _}.
	 * @return the default validator
	 */
	public static SessionIdValidator defaults() {
		return DEFAULT;
	}

	/**
	 * Whether the id is well formed.
	 * @param sessionId the candidate id
	 * @return {@code true} if it may be looked up
	 */
	public boolean isValid(@Nullable String sessionId) {
		if (sessionId == null) {
			return false;
		}
		int length = sessionId.length();
		if (length < this.minLength || length > this.maxLength) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = sessionId.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_';
			if (!ok) {
				return false;
			}
		}
		return true;
	}

}
