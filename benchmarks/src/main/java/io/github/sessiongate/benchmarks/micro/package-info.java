/**
 * JMH micro benchmarks: ledger begin/end pairs, context resolution, admission and the
 * whole filter on mock requests (allocation per request with the GC profiler).
 */
package io.github.sessiongate.benchmarks.micro;
