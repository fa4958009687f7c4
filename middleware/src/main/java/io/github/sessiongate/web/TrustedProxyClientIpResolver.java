package io.github.sessiongate.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the client address from the socket, honouring {@code Forwarded} (RFC 7239) and
 * {@code X-Forwarded-For} only when the direct peer is a trusted proxy.
 *
 * <p>
 * The forwarding chain is read from right to left (nearest hop first), skipping trusted
 * proxies; the first address that is not a trusted proxy is the client. A header sent by
 * anyone else is ignored, so a client cannot choose its own address. Malformed hops, host
 * names, {@code unknown} and obfuscated identifiers stop the walk at the last trusted
 * hop; no DNS lookup ever happens. With no trusted proxies this is the socket address.
 * <pre>{@code
 * ClientIpResolver resolver = TrustedProxyClientIpResolver.of("10.0.0.0/8", "::1/128");
 * }</pre>
 *
 * @author SessionGate team
 */
public final class TrustedProxyClientIpResolver implements ClientIpResolver {

	private static final int MAX_HEADER_LENGTH = 4096;

	private static final int MAX_HOPS = 32;

	private final List<Cidr> trustedProxies;

	/**
	 * Creates a resolver.
	 * @param trustedProxies the networks whose forwarding headers are believed
	 */
	public TrustedProxyClientIpResolver(Collection<Cidr> trustedProxies) {
		this.trustedProxies = List.copyOf(Objects.requireNonNull(trustedProxies, "trustedProxies cannot be null"));
	}

	/**
	 * Creates a resolver from CIDR strings.
	 * @param cidrs e.g. {@code "10.0.0.0/8"}
	 * @return the resolver
	 * @throws IllegalArgumentException if a CIDR is invalid
	 */
	public static TrustedProxyClientIpResolver of(String... cidrs) {
		List<Cidr> parsed = new ArrayList<>(cidrs.length);
		for (String cidr : cidrs) {
			parsed.add(Cidr.parse(cidr));
		}
		return new TrustedProxyClientIpResolver(parsed);
	}

	/**
	 * A resolver that trusts no proxy: always the socket address.
	 * @return the resolver
	 */
	public static TrustedProxyClientIpResolver socketAddress() {
		return new TrustedProxyClientIpResolver(List.of());
	}

	@Override
	public String resolveClientIp(HttpServletRequest request) {
		String remote = request.getRemoteAddr();
		long remoteIpv4 = (remote != null) ? IpAddresses.parseIpv4(remote, 0, remote.length()) : -1;
		if (remoteIpv4 >= 0) {
			String resolved = resolveIpv4(request, remote, remoteIpv4);
			if (resolved != null) {
				return resolved;
			}
		}
		return resolveAny(request, remote);
	}

	/**
	 * The common case read without splitting or copying: an IPv4 peer and, from a trusted
	 * one, at most one {@code X-Forwarded-For} header of plain IPv4 hops, walked from the
	 * right in place. Anything else returns {@code null} for the general path.
	 */
	private @Nullable String resolveIpv4(HttpServletRequest request, String remote, long remoteIpv4) {
		if (!isTrustedIpv4(remoteIpv4)) {
			return ipv4Text(remote, 0, remote.length(), remoteIpv4);
		}
		if (request.getHeader("Forwarded") != null) {
			return null;
		}
		Enumeration<String> values = request.getHeaders("X-Forwarded-For");
		if (values == null || !values.hasMoreElements()) {
			return ipv4Text(remote, 0, remote.length(), remoteIpv4);
		}
		String header = values.nextElement();
		if (values.hasMoreElements() || header.length() > MAX_HEADER_LENGTH
				|| IpAddresses.count(header, ',') >= MAX_HOPS) {
			return null;
		}
		int end = header.length();
		while (true) {
			int comma = header.lastIndexOf(',', end - 1);
			int from = comma + 1;
			int to = end;
			while (from < to && Character.isWhitespace(header.charAt(from))) {
				from++;
			}
			while (to > from && Character.isWhitespace(header.charAt(to - 1))) {
				to--;
			}
			long hop = IpAddresses.parseIpv4(header, from, to);
			if (hop < 0) {
				// IPv6, a port or not an address: the general path decides
				return null;
			}
			if (!isTrustedIpv4(hop) || comma < 0) {
				return ipv4Text(header, from, to, hop);
			}
			end = comma;
		}
	}

	private static String ipv4Text(String text, int from, int to, long parsed) {
		if ((parsed & IpAddresses.NOT_CANONICAL) != 0) {
			return IpAddresses.formatIpv4(parsed & 0xFFFFFFFFL);
		}
		return (from == 0 && to == text.length()) ? text : text.substring(from, to);
	}

	private boolean isTrustedIpv4(long address) {
		long value = address & 0xFFFFFFFFL;
		for (Cidr cidr : this.trustedProxies) {
			if (cidr.containsIpv4(value)) {
				return true;
			}
		}
		return false;
	}

	private String resolveAny(HttpServletRequest request, @Nullable String remote) {
		byte[] remoteBytes = IpAddresses.parse(remote);
		if (remoteBytes == null) {
			return (remote != null) ? remote : "unknown";
		}
		if (!isTrusted(remoteBytes)) {
			return IpAddresses.format(remoteBytes);
		}
		List<String> hops = forwardedHops(request);
		byte[] current = remoteBytes;
		for (int i = hops.size() - 1; i >= 0; i--) {
			byte[] hop = IpAddresses.parse(hops.get(i));
			if (hop == null) {
				break;
			}
			current = hop;
			if (!isTrusted(hop)) {
				break;
			}
		}
		return IpAddresses.format(current);
	}

	private boolean isTrusted(byte[] address) {
		for (Cidr cidr : this.trustedProxies) {
			if (cidr.contains(address)) {
				return true;
			}
		}
		return false;
	}

	private static List<String> forwardedHops(HttpServletRequest request) {
		String forwarded = joinedHeader(request, "Forwarded");
		if (forwarded != null) {
			return forwardedForValues(forwarded);
		}
		String xff = joinedHeader(request, "X-Forwarded-For");
		if (xff != null) {
			return split(xff);
		}
		return List.of();
	}

	private static @Nullable String joinedHeader(HttpServletRequest request, String name) {
		Enumeration<String> values = request.getHeaders(name);
		if (values == null || !values.hasMoreElements()) {
			return null;
		}
		StringBuilder joined = new StringBuilder();
		while (values.hasMoreElements()) {
			if (!joined.isEmpty()) {
				joined.append(',');
			}
			joined.append(values.nextElement());
			if (joined.length() > MAX_HEADER_LENGTH) {
				// an oversized chain is not believed at all
				return "";
			}
		}
		return joined.toString();
	}

	private static List<String> split(String header) {
		List<String> hops = new ArrayList<>();
		for (String part : header.split(",", -1)) {
			if (hops.size() == MAX_HOPS) {
				return List.of();
			}
			hops.add(part.trim());
		}
		return hops;
	}

	private static List<String> forwardedForValues(String header) {
		List<String> hops = new ArrayList<>();
		for (String element : header.split(",", -1)) {
			if (hops.size() == MAX_HOPS) {
				return List.of();
			}
			String forValue = "";
			for (String pair : element.split(";", -1)) {
				int eq = pair.indexOf('=');
				if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
					forValue = unquote(pair.substring(eq + 1).trim());
				}
			}
			// an element without for= is a hop we cannot read; keep its place so the walk
			// stops
			hops.add(forValue);
		}
		return hops;
	}

	private static String unquote(String value) {
		if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			return value.substring(1, value.length() - 1);
		}
		return value;
	}

}
