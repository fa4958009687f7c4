package io.github.sessiongate.web;

import java.time.Duration;
import java.util.List;

import io.github.sessiongate.limit.Limit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests of the small parts the filter is made of.
 */
class WebComponentsTests {

	@Test
	void cidrWhenParsedThenMatchesItsNetworkOnly() {
		Cidr v4 = Cidr.parse("10.1.0.0/16");
		assertThat(v4.contains(IpAddresses.parse("10.1.200.3"))).isTrue();
		assertThat(v4.contains(IpAddresses.parse("10.2.0.1"))).isFalse();
		assertThat(v4.contains(IpAddresses.parse("::1"))).isFalse();
		Cidr odd = Cidr.parse("192.168.0.0/23");
		assertThat(odd.contains(IpAddresses.parse("192.168.1.255"))).isTrue();
		assertThat(odd.contains(IpAddresses.parse("192.168.2.0"))).isFalse();
		Cidr v6 = Cidr.parse("2001:db8::/32");
		assertThat(v6.contains(IpAddresses.parse("2001:db8:ffff::1"))).isTrue();
		assertThat(v6.contains(IpAddresses.parse("2001:db9::1"))).isFalse();
		assertThat(Cidr.parse("127.0.0.1").contains(IpAddresses.parse("127.0.0.1"))).isTrue();
		assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddresses.parse("8.8.8.8"))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0/33", "10.0.0/8", "example.com/8", "::1/129", "10.0.0.0/x", "" })
	void cidrWhenInvalidThenErrorNamesTheValue(String cidr) {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(cidr)).withMessageContaining("is not a CIDR");
	}

	@Test
	void ipAddressesWhenNotLiteralThenNullWithoutLookup() {
		assertThat(IpAddresses.parse("localhost")).isNull();
		assertThat(IpAddresses.parse("1.2.3")).isNull();
		assertThat(IpAddresses.parse("1.2.3.4.5")).isNull();
		assertThat(IpAddresses.parse("256.0.0.1")).isNull();
		assertThat(IpAddresses.parse("fe80::1%eth0")).hasSize(16);
		assertThat(IpAddresses.parse("[::1]:8080")).hasSize(16);
		assertThat(IpAddresses.parse("1.2.3.4:80")).containsExactly(1, 2, 3, 4);
	}

	@Test
	void pathPatternsWhenMatchingThenExactPrefixAndExtension() {
		PathPatterns patterns = PathPatterns.of(List.of("/health", "/static/**", "*.css"));
		assertThat(patterns.matches("/health")).isTrue();
		assertThat(patterns.matches("/healthz")).isFalse();
		assertThat(patterns.matches("/static")).isTrue();
		assertThat(patterns.matches("/static/app.js")).isTrue();
		assertThat(patterns.matches("/staticky")).isFalse();
		assertThat(patterns.matches("/a/b/site.css")).isTrue();
		assertThat(patterns.matches("/api")).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> PathPatterns.of(List.of("/a/*/b")))
			.withMessageContaining("/a/*/b");
	}

	@Test
	void problemJsonWhenValuesNeedEscapingThenBodyStaysValidJson() {
		String json = ProblemJsonRejectionHandler.toJson(Problem.badRequest("bad \"value\"\n\u0001"), "/x\"y");

		assertThat(json).contains("\"detail\":\"bad \\\"value\\\"\\n\\u0001\"").contains("\"instance\":\"/x\\\"y\"");
		String limited = ProblemJsonRejectionHandler.toJson(Problem.of(Limit.RATE, Duration.ofMillis(1500)), "/");
		assertThat(limited).contains("\"limit\":\"rate\"").contains("\"retryAfter\":2").contains("\"status\":429");
	}

	@Test
	void sessionIdValidatorWhenCheckingThenLengthAndAlphabet() {
		SessionIdValidator validator = SessionIdValidator.defaults();
		assertThat(validator.isValid("5b0c9a8e-3f1d-4c2b-9e7a-1d2c3b4a5f6e")).isTrue();
		assertThat(validator.isValid("abc_DEF-123456789")).isTrue();
		assertThat(validator.isValid("short")).isFalse();
		assertThat(validator.isValid("a".repeat(129))).isFalse();
		assertThat(validator.isValid("5b0c9a8e 3f1d 4c2b 9e7a")).isFalse();
		assertThat(validator.isValid(null)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> new SessionIdValidator(10, 5));
	}

}
