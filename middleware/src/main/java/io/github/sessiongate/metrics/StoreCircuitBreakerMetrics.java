package io.github.sessiongate.metrics;

import java.util.Objects;

import io.github.sessiongate.store.StoreCircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds a {@link StoreCircuitBreaker}'s state to a Micrometer registry: whether the store
 * is known to be down, and how many calls were refused without trying it. The Spring Boot
 * starter binds the breaker it shares between the Redis ledger and the session
 * repository; with the in-memory store there is no breaker and no such meter. <pre>{@code
 * new StoreCircuitBreakerMetrics(ledger.circuitBreaker()).bindTo(meterRegistry);
 * }</pre>
 *
 * <table>
 * <caption>Meters</caption>
 * <tr>
 * <th>name</th>
 * <th>type</th>
 * <th>tags</th>
 * </tr>
 * <tr>
 * <td>{@value #CIRCUIT_OPEN}</td>
 * <td>gauge (this node)</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>{@value #CALLS_REFUSED}</td>
 * <td>counter (this node)</td>
 * <td>-</td>
 * </tr>
 * </table>
 *
 * @author SessionGate team
 */
public final class StoreCircuitBreakerMetrics implements MeterBinder {

	/** 1 while the breaker is open (calls fail at once), 0 while the store answers. */
	public static final String CIRCUIT_OPEN = "sessiongate.store.circuit.open";

	/** Store calls refused at once because the breaker was open. */
	public static final String CALLS_REFUSED = "sessiongate.store.calls.refused";

	private final StoreCircuitBreaker circuitBreaker;

	/**
	 * Creates the binder.
	 * @param circuitBreaker the breaker to measure
	 */
	public StoreCircuitBreakerMetrics(StoreCircuitBreaker circuitBreaker) {
		this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker cannot be null");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Objects.requireNonNull(registry, "registry cannot be null");
		Gauge.builder(CIRCUIT_OPEN, this.circuitBreaker, (breaker) -> breaker.isOpen() ? 1 : 0)
			.description("1 while the store is known to be down and its calls fail at once, 0 otherwise")
			.register(registry);
		FunctionCounter.builder(CALLS_REFUSED, this.circuitBreaker, StoreCircuitBreaker::refusedCalls)
			.description("Store calls refused at once because the circuit breaker was open")
			.register(registry);
	}

}
