package io.github.sessiongate.ledger;

import org.jspecify.annotations.Nullable;

/**
 * Where a session comes from: the device id, client address and user agent of the request
 * that started it, replaced by those of the login request when a user is bound. Kept in
 * the session's ledger record for as long as the record (its idle timeout while live, the
 * history retention once ended).
 *
 * <p>
 * Values are bounded before they reach a store: the user agent is cut to
 * {@value #MAX_USER_AGENT} characters, the device id to {@value #MAX_DEVICE_ID} and the
 * client address to {@value #MAX_CLIENT_IP}; control characters are dropped; empty values
 * are {@code null}. The client address is stored as the gate's
 * {@code inventory.client-ip} policy shaped it (full, network or none).
 *
 * @param deviceId the device id sent by the client, or {@code null}
 * @param clientIp the client address as the policy keeps it, or {@code null}
 * @param userAgent the {@code User-Agent} header, truncated, or {@code null}
 * @author SessionGate team
 */
public record SessionOrigin(@Nullable String deviceId, @Nullable String clientIp, @Nullable String userAgent) {

	/** The longest user agent kept (longer ones are cut). */
	public static final int MAX_USER_AGENT = 256;

	/** The longest device id kept (longer ones are cut). */
	public static final int MAX_DEVICE_ID = 128;

	/** The longest client address kept (an IPv6 literal fits). */
	public static final int MAX_CLIENT_IP = 45;

	/** No origin known (or nothing kept). */
	public static final SessionOrigin NONE = new SessionOrigin(null, null, null);

	public SessionOrigin {
		deviceId = bounded(deviceId, MAX_DEVICE_ID);
		clientIp = bounded(clientIp, MAX_CLIENT_IP);
		userAgent = bounded(userAgent, MAX_USER_AGENT);
	}

	/**
	 * Whether nothing is known.
	 * @return {@code true} when every value is {@code null}
	 */
	public boolean isEmpty() {
		return this.deviceId == null && this.clientIp == null && this.userAgent == null;
	}

	static @Nullable String bounded(@Nullable String value, int max) {
		if (value == null) {
			return null;
		}
		StringBuilder kept = null;
		int end = Math.min(value.length(), max);
		for (int i = 0; i < end; i++) {
			char c = value.charAt(i);
			if (Character.isISOControl(c)) {
				if (kept == null) {
					kept = new StringBuilder(end).append(value, 0, i);
				}
			}
			else if (kept != null) {
				kept.append(c);
			}
		}
		String result = (kept != null) ? kept.toString() : (end < value.length()) ? value.substring(0, end) : value;
		// never end on half a surrogate pair
		if (!result.isEmpty() && Character.isHighSurrogate(result.charAt(result.length() - 1))) {
			result = result.substring(0, result.length() - 1);
		}
		return result.isBlank() ? null : result;
	}

}
