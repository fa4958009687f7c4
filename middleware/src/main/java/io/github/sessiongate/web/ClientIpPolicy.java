package io.github.sessiongate.web;

import org.jspecify.annotations.Nullable;

/**
 * How much of the client address a session's inventory keeps
 * ({@code sessiongate.inventory.client-ip}). The address is only ever used to show a user
 * where their sessions are; {@link #NETWORK} (the default) keeps enough for that without
 * keeping the exact address.
 *
 * @author SessionGate team
 */
public enum ClientIpPolicy {

	/** The address as resolved. */
	FULL,

	/**
	 * The network only: IPv4 /24 ({@code 203.0.113.0}), IPv6 /48
	 * ({@code 2001:db8:1:0:0:0:0:0}).
	 */
	NETWORK,

	/** Nothing. */
	NONE;

	/**
	 * Shapes an address for storage.
	 * @param clientIp the resolved client address
	 * @return what is kept, or {@code null}; an address that is not an IP literal is kept
	 * only under {@link #FULL}
	 */
	public @Nullable String apply(@Nullable String clientIp) {
		if (clientIp == null || clientIp.isEmpty() || this == NONE) {
			return null;
		}
		if (this == FULL) {
			return clientIp;
		}
		byte[] bytes = IpAddresses.parse(clientIp);
		if (bytes == null) {
			return null;
		}
		int keep = (bytes.length == 4) ? 3 : 6;
		for (int i = keep; i < bytes.length; i++) {
			bytes[i] = 0;
		}
		return IpAddresses.format(bytes);
	}

}
