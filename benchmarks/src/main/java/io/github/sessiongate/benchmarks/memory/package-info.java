/**
 * Footprint of the in-memory ledger per idle session and the cost of sweeping expired
 * sessions.
 */
package io.github.sessiongate.benchmarks.memory;
