/**
 * Spring Session made whole on any repository: a
 * {@link org.springframework.session.FindByIndexNameSessionRepository} backed by the
 * ledger's user index
 * ({@link io.github.sessiongate.session.LedgerIndexedSessionRepository}) and Spring
 * Session's lifecycle events published from the gate's own
 * ({@link io.github.sessiongate.session.SpringSessionEventPublisher}), without keyspace
 * notifications or index keys of their own.
 */
@NullMarked
package io.github.sessiongate.session;

import org.jspecify.annotations.NullMarked;
