/**
 * Lifecycle events (session started, user bound, session ended, request rejected, request
 * completed, store failure) and the listener SPI that receives them synchronously.
 */
@NullMarked
package io.github.sessiongate.events;

import org.jspecify.annotations.NullMarked;
