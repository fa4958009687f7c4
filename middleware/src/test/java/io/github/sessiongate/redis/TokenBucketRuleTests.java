package io.github.sessiongate.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.github.sessiongate.limit.TokenBucket;
import io.github.sessiongate.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One table of cases for the token bucket rule, checked against both of its versions:
 * {@link TokenBucket} (the in-memory ledger) and {@code take_token} in {@code common.lua}
 * (the Redis ledger), run by a real Redis. Times are microseconds, the unit of the Lua
 * version.
 *
 * @author SessionGate team
 */
class TokenBucketRuleTests {

	private static LettuceConnectionFactory redis;

	@BeforeAll
	static void connect() {
		redis = RedisSessionLedger.connectionFactory(RedisTestServer.shared().uri(), Duration.ofSeconds(2));
	}

	@AfterAll
	static void disconnect() {
		redis.destroy();
	}

	/**
	 * A case: a bucket of {@code capacity} tokens refilled per {@code period}, holding
	 * {@code tokens} ({@code -1}: new, full) when refilled {@code elapsed} ago; after one
	 * request it holds {@code left}, the request took a token or not, and waits
	 * {@code waitTime} for the next one.
	 */
	record Case(String name, long capacity, long period, double tokens, long elapsed, double left, boolean taken,
			long waitTime) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Case> cases() {
		return Stream.of(new Case("a new bucket is full", 5, 10_000_000, -1, 0, 4, true, 0),
				new Case("an empty bucket refuses", 5, 10_000_000, 0, 0, 0, false, 2_000_000),
				new Case("half a token refuses, with the wait for the other half", 5, 10_000_000, 0, 1_000_000, 0.5,
						false, 1_000_000),
				new Case("a token refilled is taken", 5, 10_000_000, 0, 2_000_000, 0, true, 0),
				new Case("refills stop at the capacity", 5, 10_000_000, 4, 600_000_000, 4, true, 0),
				new Case("a clock set back refills nothing", 5, 10_000_000, 0.5, -3_000_000, 0.5, false, 1_000_000),
				new Case("a capacity of one", 1, 1_000_000, 0, 250_000, 0.25, false, 750_000),
				new Case("the wait is at least one microsecond", 2, 1_000, 0.99999, 0, 0.99999, false, 1),
				new Case("fractions carry over", 3, 3_000_000, 1.5, 500_000, 1, true, 0),
				new Case("exactly one token left is taken", 10, 10_000_000, 1, 0, 0, true, 0));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void javaRuleWhenRequestArrivesThenMatchesTheTable(Case c) {
		TokenBucket.Take take = TokenBucket.take(c.tokens(), c.elapsed(), c.capacity(), c.period());
		assertThat(take.tokensLeft()).isCloseTo(c.left(), within(1e-9));
		assertThat(take.taken()).isEqualTo(c.taken());
		assertThat(take.waitTime()).isEqualTo(c.waitTime());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void luaRuleWhenRequestArrivesThenMatchesTheTable(Case c) throws IOException {
		String harness = common() + "\nlocal tokens = nil\nif ARGV[1] ~= '' then tokens = tonumber(ARGV[1]) end\n"
				+ "local left, taken, wait = take_token(tokens, tonumber(ARGV[2]), tonumber(ARGV[3]), "
				+ "tonumber(ARGV[4]), tonumber(ARGV[5]))\n"
				+ "return { string.format('%.17g', left), taken and 1 or 0, wait }";
		long refilled = 1_700_000_000_000_000L;
		byte[][] args = { bytes((c.tokens() < 0) ? "" : Double.toString(c.tokens())), bytes(Long.toString(refilled)),
				bytes(Long.toString(refilled + c.elapsed())), bytes(Long.toString(c.capacity())),
				bytes(Long.toString(c.period())) };
		List<Object> reply;
		try (RedisConnection connection = redis.getConnection()) {
			reply = connection.scriptingCommands().eval(bytes(harness), ReturnType.MULTI, 0, args);
		}
		assertThat(reply).isNotNull();
		assertThat(Double.parseDouble(new String((byte[]) reply.get(0), StandardCharsets.UTF_8))).isCloseTo(c.left(),
				within(1e-9));
		assertThat(reply.get(1)).isEqualTo(c.taken() ? 1L : 0L);
		assertThat(reply.get(2)).isEqualTo(c.waitTime());
	}

	private static String common() throws IOException {
		try (InputStream in = RedisSessionLedger.class.getResourceAsStream("common.lua")) {
			assertThat(in).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
