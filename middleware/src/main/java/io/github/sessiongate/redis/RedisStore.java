package io.github.sessiongate.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.sessiongate.store.StoreCircuitBreaker;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The ledger's connection to Redis: every call goes through the circuit breaker, so while
 * Redis is known to be down calls fail at once instead of waiting for a timeout. Also
 * makes the connection factories of ledgers built from a URI.
 *
 * @author SessionGate team
 */
final class RedisStore implements AutoCloseable {

	/**
	 * The least time a first connection may take, whatever the command timeout: a short
	 * command timeout bounds commands, not the TCP and TLS handshake of a node that
	 * starts.
	 */
	static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(2);

	private static final Logger logger = LoggerFactory.getLogger(RedisStore.class);

	/** Tries at the first connection (see {@link #connection()}). */
	static final int FIRST_CONNECT_ATTEMPTS = 4;

	private final RedisConnectionFactory connectionFactory;

	private final @Nullable LettuceConnectionFactory ownedFactory;

	private final StoreCircuitBreaker circuitBreaker;

	/** Whether a connection was ever made: until then, connecting is given more tries. */
	private volatile boolean connected;

	RedisStore(RedisConnectionFactory connectionFactory, @Nullable LettuceConnectionFactory ownedFactory,
			StoreCircuitBreaker circuitBreaker) {
		this.connectionFactory = connectionFactory;
		this.ownedFactory = ownedFactory;
		this.circuitBreaker = circuitBreaker;
	}

	/**
	 * Connects in the background, so that the connection a shared connection factory
	 * keeps exists before the first request (Spring Session's repository on the same
	 * factory benefits too). A failure is left to the first request to meet.
	 */
	void connectInBackground() {
		Thread thread = new Thread(() -> {
			try (RedisConnection connection = connection()) {
				connection.ping();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not connect to Redis at start-up", ex);
			}
		}, "sessiongate-redis-connect");
		thread.setDaemon(true);
		thread.start();
	}

	StoreCircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	RedisConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	ScriptReply run(LuaScript script, byte[][] keys, ScriptArgs args) {
		byte[][] arguments = script.arguments(args);
		return Objects.requireNonNull(call((connection) -> script.run(connection, keys, arguments)));
	}

	/**
	 * Runs a script that must be tried even while the breaker is open (see
	 * {@link StoreCircuitBreaker#attempt}).
	 */
	ScriptReply attempt(LuaScript script, byte[][] keys, ScriptArgs args) {
		byte[][] arguments = script.arguments(args);
		return Objects.requireNonNull(this.circuitBreaker.attempt(() -> {
			try (RedisConnection connection = connection()) {
				return script.run(connection, keys, arguments);
			}
		}));
	}

	/**
	 * Runs Redis work on a connection, through the circuit breaker.
	 */
	<T> @Nullable T call(Function<RedisConnection, @Nullable T> work) {
		return this.circuitBreaker.call(() -> {
			try (RedisConnection connection = connection()) {
				return work.apply(connection);
			}
		});
	}

	/**
	 * A connection. The first connection of a node that starts is given
	 * {@link #FIRST_CONNECT_ATTEMPTS} tries: Lettuce bounds a connection's handshake by
	 * the command timeout, which is set short for commands (500 ms), not for a node
	 * connecting to a loaded Redis; without the retries such a node answered its first
	 * request with a store failure while Redis was up. Nothing is sent before a
	 * connection exists, so a retry repeats no command.
	 */
	private RedisConnection connection() {
		if (this.connected) {
			return this.connectionFactory.getConnection();
		}
		RedisConnectionFailureException failure = null;
		for (int attempt = 0; attempt < FIRST_CONNECT_ATTEMPTS; attempt++) {
			try {
				RedisConnection connection = this.connectionFactory.getConnection();
				this.connected = true;
				return connection;
			}
			catch (RedisConnectionFailureException ex) {
				failure = ex;
			}
		}
		throw Objects.requireNonNull(failure);
	}

	/**
	 * Closes the connection factory this store created itself (a given one is left open).
	 */
	@Override
	public void close() {
		if (this.ownedFactory != null) {
			this.ownedFactory.destroy();
		}
	}

	/**
	 * Creates and starts a Lettuce connection factory with bounded calls (see
	 * {@link RedisSessionLedger#connectionFactory(String, Duration)}).
	 */
	static LettuceConnectionFactory connectionFactory(String redisUri, Duration commandTimeout) {
		// reconnect attempts at most every 500 ms (Lettuce's default backs off to 30 s),
		// so service returns soon after Redis does
		ClientResources resources = ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
			.build();
		Duration connectTimeout = (commandTimeout.compareTo(MIN_CONNECT_TIMEOUT) > 0) ? commandTimeout
				: MIN_CONNECT_TIMEOUT;
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.clientResources(resources)
			.commandTimeout(commandTimeout)
			.clientOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(redisUri), client) {

			@Override
			public void destroy() {
				super.destroy();
				resources.shutdown();
			}

		};
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
