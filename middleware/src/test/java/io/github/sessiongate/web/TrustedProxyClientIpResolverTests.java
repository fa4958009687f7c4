package io.github.sessiongate.web;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client address as the resolver reads it: the in-place IPv4 walk and the general
 * path (IPv6, ports, {@code Forwarded}, repeated headers) must give the same answers.
 */
class TrustedProxyClientIpResolverTests {

	private final ClientIpResolver resolver = TrustedProxyClientIpResolver.of("10.0.0.0/8", "fd00::/8");

	@ParameterizedTest(name = "{0} via [{1}] -> {2}")
	@CsvSource(delimiter = '|', value = {
			// untrusted peer: its own address, canonical
			"203.0.113.7 | 198.51.100.1 | 203.0.113.7", "010.000.000.001 | | 10.0.0.1",
			// trusted peer: the first untrusted hop from the right
			"10.0.0.2 | 203.0.113.7, 10.0.0.9 | 203.0.113.7", "10.0.0.2 | 198.51.100.1, 203.0.113.7 | 203.0.113.7",
			"10.0.0.2 | 10.0.0.8, 10.0.0.9 | 10.0.0.8", "10.0.0.2 | ' 203.0.113.007 ' | 203.0.113.7",
			"10.0.0.2 | | 10.0.0.2",
			// a hop that is not an address stops the walk at the last trusted one
			"10.0.0.2 | 203.0.113.7, garbage | 10.0.0.2", "10.0.0.2 | '' | 10.0.0.2",
			// general path: ports, IPv6 hops and peers
			"10.0.0.2 | 203.0.113.7:4711 | 203.0.113.7", "10.0.0.2 | '[2001:db8::1]:443' | 2001:db8:0:0:0:0:0:1",
			"fd00::1 | 203.0.113.7 | 203.0.113.7" })
	void resolveClientIpWhenHeadersThenFirstUntrustedHopFromTheRight(String remote, String xff, String expected) {
		Map<String, List<String>> headers = (xff != null) ? Map.of("X-Forwarded-For", List.of(xff)) : Map.of();
		assertThat(this.resolver.resolveClientIp(request(remote, headers))).isEqualTo(expected);
	}

	@Test
	void resolveClientIpWhenHeaderRepeatedThenHopsOfAllValuesAreWalked() {
		HttpServletRequest request = request("10.0.0.2",
				Map.of("X-Forwarded-For", List.of("198.51.100.1", "203.0.113.7, 10.0.0.9")));
		assertThat(this.resolver.resolveClientIp(request)).isEqualTo("203.0.113.7");
	}

	@Test
	void resolveClientIpWhenMoreThan32HopsThenHeaderIsNotBelieved() {
		String hops = String.join(",", Collections.nCopies(33, "10.0.0.5"));
		HttpServletRequest request = request("10.0.0.2", Map.of("X-Forwarded-For", List.of(hops)));
		assertThat(this.resolver.resolveClientIp(request)).isEqualTo("10.0.0.2");
	}

	@Test
	void resolveClientIpWhenForwardedHeaderThenItWinsOverXForwardedFor() {
		HttpServletRequest request = request("10.0.0.2",
				Map.of("Forwarded", List.of("for=203.0.113.9"), "X-Forwarded-For", List.of("198.51.100.1")));
		assertThat(this.resolver.resolveClientIp(request)).isEqualTo("203.0.113.9");
	}

	private static HttpServletRequest request(String remote, Map<String, List<String>> headers) {
		return (HttpServletRequest) Proxy.newProxyInstance(TrustedProxyClientIpResolverTests.class.getClassLoader(),
				new Class<?>[] { HttpServletRequest.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getRemoteAddr" -> remote;
					case "getHeader" ->
						headers.getOrDefault((String) args[0], List.of()).stream().findFirst().orElse(null);
					case "getHeaders" -> Collections.enumeration(headers.getOrDefault((String) args[0], List.of()));
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
