package io.github.sessiongate.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How much of a client address each {@link ClientIpPolicy} keeps.
 */
class ClientIpPolicyTests {

	@Test
	void applyWhenFullThenKeepsTheAddress() {
		assertThat(ClientIpPolicy.FULL.apply("203.0.113.77")).isEqualTo("203.0.113.77");
		assertThat(ClientIpPolicy.FULL.apply("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2:3:4:5:6");
	}

	@Test
	void applyWhenNetworkThenKeepsIpv4Slash24AndIpv6Slash48() {
		assertThat(ClientIpPolicy.NETWORK.apply("203.0.113.77")).isEqualTo("203.0.113.0");
		assertThat(ClientIpPolicy.NETWORK.apply("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:0:0:0:0:0");
		assertThat(ClientIpPolicy.NETWORK.apply("[::1]:8080")).isEqualTo("0:0:0:0:0:0:0:0");
	}

	@Test
	void applyWhenNetworkAndNotAnAddressThenKeepsNothing() {
		assertThat(ClientIpPolicy.NETWORK.apply("unknown")).isNull();
		assertThat(ClientIpPolicy.NETWORK.apply("1".repeat(10_000))).isNull();
		assertThat(ClientIpPolicy.NETWORK.apply("")).isNull();
		assertThat(ClientIpPolicy.NETWORK.apply(null)).isNull();
	}

	@Test
	void applyWhenNoneThenKeepsNothing() {
		assertThat(ClientIpPolicy.NONE.apply("203.0.113.77")).isNull();
	}

}
