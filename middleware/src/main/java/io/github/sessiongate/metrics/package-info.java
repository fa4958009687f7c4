/**
 * Micrometer meters for a gate ({@link io.github.sessiongate.metrics.SessionGateMetrics})
 * and for the circuit breaker in front of its store
 * ({@link io.github.sessiongate.metrics.StoreCircuitBreakerMetrics}). Micrometer is an
 * optional dependency: nothing outside this package refers to it.
 */
@NullMarked
package io.github.sessiongate.metrics;

import org.jspecify.annotations.NullMarked;
