/**
 * Internals of SessionGate, public only because other SessionGate packages call them: not
 * API, may change in any release. {@link io.github.sessiongate.internal.SessionGateCore}
 * is the servlet-free heart: it alone begins and ends requests against the ledger, binds
 * users, follows session id changes, ends sessions, publishes events and keeps the node's
 * counts; the servlet filter and the Spring integrations call it, it calls none of them.
 * {@link io.github.sessiongate.internal.NodeCapacity} counts the requests in progress on
 * this node. The JSON writing shared with the event log lives in {@code internal.json},
 * below the events.
 */
@NullMarked
package io.github.sessiongate.internal;

import org.jspecify.annotations.NullMarked;
