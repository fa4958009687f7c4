package io.github.sessiongate;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
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
	private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

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
		Buffers buffers = BUFFERS.get();
		MessageDigest digest = buffers.digest;
		for (int i = 0; i < sessionId.length(); i++) {
			char c = sessionId.charAt(i);
			if (c >= 0x80) {
				// not the id alphabet: hash the UTF-8 bytes the slow way
				digest.reset();
				return HEX.formatHex(digest.digest(sessionId.getBytes(StandardCharsets.UTF_8)), 0, 6);
			}
			digest.update((byte) c);
		}
		try {
			digest.digest(buffers.hash, 0, buffers.hash.length);
		}
		catch (DigestException ex) {
			throw new IllegalStateException(ex);
		}
		char[] hex = buffers.hex;
		for (int i = 0; i < 6; i++) {
			hex[2 * i] = HEX.toLowHexDigit(buffers.hash[i] >> 4);
			hex[2 * i + 1] = HEX.toLowHexDigit(buffers.hash[i]);
		}
		return new String(hex);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	/** A thread's digest and scratch space: the short form allocates only its string. */
	private static final class Buffers {

		final MessageDigest digest = sha256();

		final byte[] hash = new byte[32];

		final char[] hex = new char[12];

	}

}
