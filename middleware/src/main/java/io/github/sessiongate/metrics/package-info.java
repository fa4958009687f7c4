/**
 * Micrometer meters for a gate
 * ({@link io.github.sessiongate.metrics.SessionGateMetrics}). Micrometer is an optional
 * dependency: nothing outside this package refers to it.
 */
@NullMarked
package io.github.sessiongate.metrics;

import org.jspecify.annotations.NullMarked;
