/**
 * The ledger: the SPI that keeps live per-session state (active requests, counters,
 * processing time, status, the user index and the history of ended sessions), with the
 * in-memory implementation. Implementations must be exact under concurrency and, for
 * shared stores, across nodes.
 */
@NullMarked
package io.github.sessiongate.ledger;

import org.jspecify.annotations.NullMarked;
