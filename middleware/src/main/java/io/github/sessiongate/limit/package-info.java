/**
 * Limit configuration and admission: which limits exist
 * ({@link io.github.sessiongate.limit.Limit}), their settings
 * ({@link io.github.sessiongate.limit.SessionLimits}) and the node-wide capacity guard.
 */
@NullMarked
package io.github.sessiongate.limit;

import org.jspecify.annotations.NullMarked;
