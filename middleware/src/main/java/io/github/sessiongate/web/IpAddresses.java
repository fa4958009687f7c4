package io.github.sessiongate.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;

/**
 * Parses IP literals without ever resolving a host name (a forwarding header must never
 * make the server do a DNS lookup).
 */
final class IpAddresses {

	private IpAddresses() {
	}

	/**
	 * Parses an IPv4 or IPv6 literal, optionally in brackets and with a port.
	 * @param text the candidate
	 * @return the address bytes, or {@code null} if the text is not an IP literal
	 */
	static byte @Nullable [] parse(@Nullable String text) {
		if (text == null) {
			return null;
		}
		String value = text.trim();
		if (value.isEmpty() || value.length() > 64) {
			return null;
		}
		if (value.startsWith("[")) {
			int close = value.indexOf(']');
			if (close < 0) {
				return null;
			}
			return parseIpv6(value.substring(1, close));
		}
		int colons = count(value, ':');
		if (colons == 0) {
			return parseIpv4(value);
		}
		if (colons == 1) {
			// IPv4 with a port
			return parseIpv4(value.substring(0, value.indexOf(':')));
		}
		return parseIpv6(value);
	}

	static byte @Nullable [] parseIpv4(String value) {
		// four dot-separated parts of 1 to 3 digits, each at most 255; read in one pass
		// because this runs on every request
		byte[] bytes = new byte[4];
		int part = 0;
		int n = 0;
		int digits = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '.') {
				if (digits == 0 || part == 3) {
					return null;
				}
				bytes[part++] = (byte) n;
				n = 0;
				digits = 0;
			}
			else if (c >= '0' && c <= '9') {
				n = n * 10 + (c - '0');
				if (++digits > 3 || n > 255) {
					return null;
				}
			}
			else {
				return null;
			}
		}
		if (digits == 0 || part != 3) {
			return null;
		}
		bytes[3] = (byte) n;
		return bytes;
	}

	/**
	 * Parses a plain IPv4 literal in {@code text[from, to)} without allocating.
	 * @param text the text
	 * @param from the first character
	 * @param to one past the last character
	 * @return the address as an unsigned 32-bit value, with {@link #NOT_CANONICAL} set
	 * when a part has a leading zero, or -1 when the range is not a plain IPv4 literal
	 */
	static long parseIpv4(String text, int from, int to) {
		long address = 0;
		int parts = 0;
		int n = 0;
		int digits = 0;
		boolean canonical = true;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c == '.') {
				if (digits == 0 || parts == 3) {
					return -1;
				}
				address = (address << 8) | n;
				parts++;
				n = 0;
				digits = 0;
			}
			else if (c >= '0' && c <= '9') {
				if (digits == 1 && n == 0) {
					canonical = false;
				}
				n = n * 10 + (c - '0');
				if (++digits > 3 || n > 255) {
					return -1;
				}
			}
			else {
				return -1;
			}
		}
		if (digits == 0 || parts != 3) {
			return -1;
		}
		address = (address << 8) | n;
		return canonical ? address : (address | NOT_CANONICAL);
	}

	/**
	 * Set in a {@link #parseIpv4(String, int, int)} result whose text has leading zeros.
	 */
	static final long NOT_CANONICAL = 1L << 32;

	/**
	 * Formats an IPv4 address canonically.
	 * @param address the unsigned 32-bit value
	 * @return the dotted literal
	 */
	static String formatIpv4(long address) {
		return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
				+ (address & 0xFF);
	}

	private static byte @Nullable [] parseIpv6(String value) {
		int percent = value.indexOf('%');
		String address = (percent >= 0) ? value.substring(0, percent) : value;
		if (address.isEmpty() || address.indexOf(':') < 0) {
			return null;
		}
		for (int i = 0; i < address.length(); i++) {
			char c = address.charAt(i);
			boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
					|| c == '.';
			if (!ok) {
				return null;
			}
		}
		try {
			// only hex digits, colons and dots remain, so this parses a literal and never
			// does DNS
			return InetAddress.getByName(address).getAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * Formats address bytes canonically.
	 * @param bytes 4 or 16 bytes
	 * @return the literal
	 */
	static String format(byte[] bytes) {
		if (bytes.length == 4) {
			// what Inet4Address.getHostAddress() returns, without the two objects
			return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF);
		}
		try {
			return InetAddress.getByAddress(bytes).getHostAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("not an IP address: " + bytes.length + " bytes", ex);
		}
	}

	static int count(String value, char c) {
		int n = 0;
		for (int i = 0; i < value.length(); i++) {
			if (value.charAt(i) == c) {
				n++;
			}
		}
		return n;
	}

}
