package io.github.sessiongate.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops requests from waiting on a store that is known to be down. While the store
 * answers, calls pass through. The first call that fails because the store cannot be
 * reached (connection refused or lost, command timeout, server loading or without master)
 * opens the breaker: for the {@linkplain #openDuration() open duration} every call fails
 * at once with a {@link StoreUnavailableException}, without touching the store. Then one
 * call goes through as a probe; if it succeeds the breaker closes, otherwise it stays
 * open for another period. A request therefore waits at most one command timeout once an
 * outage is known (only the probe waits), and service returns at most one open duration
 * (plus one call) after the store answers again.
 *
 * <p>
 * Errors the store reports about a call itself (a bad script, a wrong type) are not
 * outages: they pass through and leave the breaker as it is. Share one breaker between
 * everything that uses the same store, so that an outage one of them sees spares the
 * others the wait: <pre>{@code
 * StoreCircuitBreaker breaker = ledger.circuitBreaker();
 * SessionRepository<?> sessions = GuardedSessionRepository.of(redisSessions, breaker, StoreFailurePolicy.ALLOW);
 * }</pre>
 *
 * @author SessionGate team
 */
public final class StoreCircuitBreaker {

	/** Whether this thread is inside {@link #call} of this breaker. */
	private final ThreadLocal<boolean[]> insideCall = ThreadLocal.withInitial(() -> new boolean[1]);

	/** Default time the breaker stays open before it lets a probe through. */
	public static final Duration DEFAULT_OPEN_DURATION = Duration.ofMillis(500);

	private static final Logger logger = LoggerFactory.getLogger(StoreCircuitBreaker.class);

	/** Failures, by class name, that mean the store cannot be reached. */
	private static final Set<String> OUTAGES = Set.of("org.springframework.dao.DataAccessResourceFailureException",
			"org.springframework.data.redis.RedisConnectionFailureException",
			"org.springframework.dao.QueryTimeoutException", "org.springframework.dao.TransientDataAccessException",
			"io.lettuce.core.RedisConnectionException", "io.lettuce.core.RedisCommandTimeoutException",
			"java.io.IOException", "java.net.ConnectException", "java.util.concurrent.TimeoutException");

	private static final String LETTUCE_EXCEPTION = "io.lettuce.core.RedisException";

	private static final String LETTUCE_ERROR_REPLY = "io.lettuce.core.RedisCommandExecutionException";

	/** Error replies of a server that cannot serve now. */
	private static final Set<String> UNAVAILABLE_REPLIES = Set.of("LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN",
			"BUSY");

	private final String name;

	private final long openNanos;

	private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);

	private final AtomicLong openedAt = new AtomicLong();

	private final AtomicLong outages = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	/**
	 * Creates a breaker.
	 * @param name what it guards, for logs (e.g. {@code redis})
	 * @param openDuration how long it stays open before a probe
	 */
	public StoreCircuitBreaker(String name, Duration openDuration) {
		this.name = Objects.requireNonNull(name, "name cannot be null");
		Objects.requireNonNull(openDuration, "openDuration cannot be null");
		if (openDuration.isNegative() || openDuration.isZero()) {
			throw new IllegalArgumentException("openDuration must be positive, was " + openDuration);
		}
		this.openNanos = openDuration.toNanos();
	}

	/**
	 * Creates a breaker with the {@linkplain #DEFAULT_OPEN_DURATION default open
	 * duration}.
	 * @param name what it guards, for logs
	 * @return the breaker
	 */
	public static StoreCircuitBreaker of(String name) {
		return new StoreCircuitBreaker(name, DEFAULT_OPEN_DURATION);
	}

	/**
	 * Runs a call against the store, unless the store is known to be down.
	 * @param <T> the result type
	 * @param call the call
	 * @return its result
	 * @throws StoreUnavailableException when the breaker is open (nothing was tried)
	 * @throws RuntimeException what the call threw; a store outage also opens the breaker
	 */
	public <T> T call(Supplier<T> call) {
		boolean[] inside = this.insideCall.get();
		if (inside[0]) {
			// a call within a call of this breaker (a guarded repository around one that
			// uses the breaker itself): the outer call admits and accounts for it
			return call.get();
		}
		boolean probe = admit();
		T result;
		inside[0] = true;
		try {
			result = call.get();
		}
		catch (RuntimeException ex) {
			if (isOutage(ex)) {
				open(ex);
			}
			else if (probe) {
				// the store answered, if only with an error about the call
				close();
			}
			throw ex;
		}
		finally {
			inside[0] = false;
		}
		if (probe || this.state.get() != State.CLOSED) {
			close();
		}
		return result;
	}

	/**
	 * Runs a call that must be tried even while the breaker is open: the end of a request
	 * that was admitted (its lease is held until the end reaches the store). A failure
	 * that means an outage still opens the breaker; a success does not close it (in a
	 * Redis Cluster it may come from another master than the one that failed).
	 * @param <T> the result type
	 * @param call the call
	 * @return its result
	 */
	public <T> T attempt(Supplier<T> call) {
		boolean[] inside = this.insideCall.get();
		if (inside[0]) {
			return call.get();
		}
		inside[0] = true;
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			if (isOutage(ex)) {
				open(ex);
			}
			throw ex;
		}
		finally {
			inside[0] = false;
		}
	}

	/**
	 * Whether calls are refused now (the store failed moments ago).
	 * @return {@code true} while open
	 */
	public boolean isOpen() {
		return this.state.get() != State.CLOSED;
	}

	/**
	 * Calls that failed because the store could not be reached. Node-local.
	 * @return the count since start
	 */
	public long outages() {
		return this.outages.get();
	}

	/**
	 * Calls refused at once while the breaker was open. Node-local.
	 * @return the count since start
	 */
	public long refusedCalls() {
		return this.refused.get();
	}

	/**
	 * How long the breaker stays open before it lets a probe through.
	 * @return the open duration
	 */
	public Duration openDuration() {
		return Duration.ofNanos(this.openNanos);
	}

	/**
	 * Whether a failure means the store cannot be reached (rather than an error about one
	 * call).
	 * @param failure the failure
	 * @return {@code true} for connection failures, timeouts and servers that cannot
	 * serve now
	 */
	public static boolean isOutage(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof StoreUnavailableException) {
				return true;
			}
			for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
				String name = type.getName();
				if (OUTAGES.contains(name)) {
					return true;
				}
				if (name.equals(LETTUCE_ERROR_REPLY)) {
					String message = String.valueOf(cause.getMessage());
					int space = message.indexOf(' ');
					return UNAVAILABLE_REPLIES.contains((space > 0) ? message.substring(0, space) : message);
				}
				if (name.equals(LETTUCE_EXCEPTION)) {
					// "Connection closed", "Currently not connected", reconnecting
					return true;
				}
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/**
	 * Decides whether a call may go ahead.
	 * @return {@code true} if the call is the probe of an open breaker
	 */
	private boolean admit() {
		State current = this.state.get();
		if (current == State.CLOSED) {
			return false;
		}
		if (current == State.OPEN && System.nanoTime() - this.openedAt.get() >= this.openNanos
				&& this.state.compareAndSet(State.OPEN, State.PROBING)) {
			return true;
		}
		this.refused.incrementAndGet();
		throw new StoreUnavailableException("The " + this.name + " store failed moments ago; trying again within "
				+ Duration.ofNanos(this.openNanos).toMillis() + " ms");
	}

	private void open(RuntimeException failure) {
		this.outages.incrementAndGet();
		this.openedAt.set(System.nanoTime());
		State previous = this.state.getAndSet(State.OPEN);
		if (previous == State.CLOSED) {
			logger.warn("The {} store cannot be reached; calls fail at once for {} ms between probes: {}", this.name,
					Duration.ofNanos(this.openNanos).toMillis(), failure.toString());
		}
	}

	private void close() {
		if (this.state.getAndSet(State.CLOSED) != State.CLOSED) {
			logger.info("The {} store answers again", this.name);
		}
	}

	@Override
	public String toString() {
		return "StoreCircuitBreaker[" + this.name + ", " + this.state.get() + "]";
	}

	private enum State {

		CLOSED, OPEN, PROBING

	}

}
