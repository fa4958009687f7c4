/**
 * Benchmarks of SessionGate against Spring Session alone: JMH micro benchmarks
 * ({@code micro}), an HTTP benchmark on one Jetty with a load generator in its own
 * process ({@code http}) and the in-memory ledger's footprint and sweep cost
 * ({@code memory}). {@link io.github.sessiongate.benchmarks.Benchmarks} runs them and
 * prints tables.
 */
package io.github.sessiongate.benchmarks;
