/**
 * The Redis ledger: {@link io.github.sessiongate.redis.RedisSessionLedger} keeps the
 * ledger's state in Redis (standalone or Cluster) so every node of an app shares one set
 * of sessions, counters and limits. Its work is done by Lua scripts (resources of this
 * package) run with {@code EVALSHA}: one round trip when a request starts, one when it
 * ends. {@link io.github.sessiongate.redis.SessionGateRedisSessionRepository} stores the
 * sessions themselves next to the ledger's records, so that those two round trips also
 * load and save the session.
 */
@NullMarked
package io.github.sessiongate.redis;

import org.jspecify.annotations.NullMarked;
