/**
 * Internal: the JSON writing shared by problem responses and the event log. Not API.
 */
@NullMarked
package io.github.sessiongate.internal.json;

import org.jspecify.annotations.NullMarked;
