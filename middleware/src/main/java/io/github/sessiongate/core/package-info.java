/**
 * The servlet-free heart of SessionGate:
 * {@link io.github.sessiongate.core.SessionGateCore} alone begins and ends requests
 * against the ledger, binds users, follows session id changes, ends sessions, publishes
 * events and keeps the node's counts. The servlet filter and the Spring integrations call
 * it; it calls none of them.
 */
@NullMarked
package io.github.sessiongate.core;

import org.jspecify.annotations.NullMarked;
