package io.github.sessiongate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * Non-reversible short forms of session ids for logs, MDC and events.
 *
 * <p>
 * A raw session id is a bearer credential: whoever reads it from a log can ride the
 * session. SessionGate never logs one; it logs the first 12 hex digits of its SHA-256
 * digest instead, which is enough to correlate log lines and cannot be turned back into
 * the id.
 *
 * @author SessionGate team
 */
public final class SessionIds {

	private static final HexFormat HEX = HexFormat.of();

	// one digest per thread: looking one up per call costs a provider search and
	// several objects on every request (digest() resets it for the next use)
	private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(SessionIds::sha256);

	private SessionIds() {
	}

	/**
	 * Returns the short, non-reversible form of a session id.
	 * @param sessionId the session id
	 * @return 12 lowercase hex digits, or {@code "-"} when the id is {@code null}
	 */
	public static String shortForm(@Nullable String sessionId) {
		if (sessionId == null) {
			return "-";
		}
		byte[] digest = SHA_256.get().digest(sessionId.getBytes(StandardCharsets.UTF_8));
		return HEX.formatHex(digest, 0, 6);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
