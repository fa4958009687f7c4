package io.github.sessiongate.web;

import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}, or a
 * single address).
 *
 * @author SessionGate team
 */
public final class Cidr {

	private final byte[] network;

	private final int prefixLength;

	private final String text;

	/** For IPv4 networks: the network and mask as 32-bit values; -1 otherwise. */
	private final long ipv4Network;

	private final long ipv4Mask;

	private Cidr(byte[] network, int prefixLength, String text) {
		this.network = network;
		this.prefixLength = prefixLength;
		this.text = text;
		if (network.length == 4) {
			long mask = (prefixLength == 0) ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
			long value = ((network[0] & 0xFFL) << 24) | ((network[1] & 0xFFL) << 16) | ((network[2] & 0xFFL) << 8)
					| (network[3] & 0xFFL);
			this.ipv4Network = value & mask;
			this.ipv4Mask = mask;
		}
		else {
			this.ipv4Network = -1;
			this.ipv4Mask = 0;
		}
	}

	/**
	 * Parses a CIDR.
	 * @param cidr e.g. {@code 192.168.0.0/16}; a plain address means a single host
	 * @return the network
	 * @throws IllegalArgumentException if the text is not a valid CIDR
	 */
	public static Cidr parse(String cidr) {
		Objects.requireNonNull(cidr, "cidr cannot be null");
		String value = cidr.trim();
		int slash = value.indexOf('/');
		String address = (slash >= 0) ? value.substring(0, slash) : value;
		byte[] bytes = IpAddresses.parse(address);
		if (bytes == null) {
			throw new IllegalArgumentException("'" + cidr + "' is not a CIDR: '" + address + "' is not an IP address");
		}
		int maxPrefix = bytes.length * 8;
		int prefix = maxPrefix;
		if (slash >= 0) {
			try {
				prefix = Integer.parseInt(value.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("'" + cidr + "' is not a CIDR: bad prefix length", ex);
			}
			if (prefix < 0 || prefix > maxPrefix) {
				throw new IllegalArgumentException(
						"'" + cidr + "' is not a CIDR: prefix length must be 0 to " + maxPrefix);
			}
		}
		return new Cidr(bytes, prefix, value);
	}

	/**
	 * Whether an address lies in this network.
	 * @param address the address bytes
	 * @return {@code true} if it matches
	 */
	public boolean contains(byte[] address) {
		if (address.length != this.network.length) {
			return false;
		}
		int fullBytes = this.prefixLength / 8;
		for (int i = 0; i < fullBytes; i++) {
			if (address[i] != this.network[i]) {
				return false;
			}
		}
		int remainingBits = this.prefixLength % 8;
		if (remainingBits == 0) {
			return true;
		}
		int mask = (0xFF << (8 - remainingBits)) & 0xFF;
		return (address[fullBytes] & mask) == (this.network[fullBytes] & mask);
	}

	/**
	 * Whether an IPv4 address lies in this network (never for an IPv6 network).
	 * @param address the address as an unsigned 32-bit value
	 * @return {@code true} if it matches
	 */
	boolean containsIpv4(long address) {
		return this.ipv4Network >= 0 && (address & this.ipv4Mask) == this.ipv4Network;
	}

	@Override
	public String toString() {
		return this.text;
	}

}
