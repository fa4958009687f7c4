/**
 * Staying honest when the store fails: a circuit breaker shared by everything that talks
 * to the session store (the Redis ledger, Spring Session's repository), a
 * {@code SessionRepository} decorator that applies the gate's store-failure policy to
 * Spring Session's own calls, and the exception the policy {@code reject} raises.
 */
@NullMarked
package io.github.sessiongate.store;

import org.jspecify.annotations.NullMarked;
