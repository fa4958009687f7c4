package io.github.sessiongate.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A node's first connection to Redis is not bounded by one command timeout: Lettuce
 * bounds a connection's handshake by the command timeout (500 ms as the guides
 * recommend), so a node that starts while Redis is slow to answer would otherwise answer
 * its first request with a store failure although Redis is up. The slow first connect is
 * made real by pausing the redis-server process (SIGSTOP): connections are accepted by
 * the kernel, but nothing answers the handshake until the process resumes.
 *
 * @author SessionGate team
 */
class RedisFirstConnectionTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(300);

	private RedisTestServer redis;

	@BeforeEach
	void startRedis() {
		this.redis = RedisTestServer.start();
	}

	@AfterEach
	void stopRedis() {
		this.redis.resume();
		this.redis.close();
	}

	@Test
	void beginWhenRedisAnswersTheFirstConnectionLateThenAdmitsInsteadOfFailing() throws Exception {
		LettuceConnectionFactory plain = bootLikeFactory();
		LettuceConnectionFactory connectionFactory = bootLikeFactory();
		this.redis.pause();
		// a node starts while the server is slow to answer
		try (RedisSessionLedger ledger = RedisSessionLedger.builder(connectionFactory).keyPrefix("first:").build()) {
			// without the retries: a fresh factory's first connection fails within the
			// command timeout while the server is slow
			assertThatExceptionOfType(RedisConnectionFailureException.class).isThrownBy(plain::getConnection);
			// the server answers again well within the retries' budget
			CompletableFuture<Void> resume = CompletableFuture.runAsync(this.redis::resume,
					CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS));
			String sessionId = UUID.randomUUID().toString();
			Admission admission = ledger.begin(new RequestStart(sessionId, null, Instant.now(), Duration.ofMinutes(30),
					SessionLimits.builder().maxConcurrentRequestsPerSession(1).build()));
			resume.get(5, TimeUnit.SECONDS);
			assertThat(admission).isInstanceOf(Admission.Admitted.class);
			ledger.end(((Admission.Admitted) admission).permit(), new RequestOutcome(1, false));
			assertThat(ledger.find(sessionId).requestCount()).isEqualTo(1);
			assertThat(ledger.circuitBreaker().isOpen()).isFalse();
		}
		finally {
			plain.destroy();
			connectionFactory.destroy();
		}
	}

	/** A factory as Spring Boot makes it with {@code spring.data.redis.timeout=300ms}. */
	private LettuceConnectionFactory bootLikeFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.redis.host(), this.redis.port()),
				LettuceClientConfiguration.builder().commandTimeout(COMMAND_TIMEOUT).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
