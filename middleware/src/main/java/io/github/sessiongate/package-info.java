/**
 * SessionGate's public entry points: the {@link io.github.sessiongate.SessionGate}
 * builder that assembles the servlet filter, the immutable per-request
 * {@link io.github.sessiongate.SessionContext} and the
 * {@link io.github.sessiongate.SessionContextHolder} that makes it reachable anywhere on
 * the request thread, and the {@link io.github.sessiongate.SessionGateAdmin} view over
 * tracked sessions.
 */
@NullMarked
package io.github.sessiongate;

import org.jspecify.annotations.NullMarked;
