package io.github.sessiongate.ledger;

import java.time.Duration;
import java.util.Objects;

import io.github.sessiongate.limit.Limit;
import org.jspecify.annotations.Nullable;

/**
 * The ledger's decision on a request: admitted with a permit, rejected by a limit, or not
 * served as part of its session because that session has ended or belongs to another
 * tenant.
 *
 * @author SessionGate team
 */
public sealed interface Admission {

	/**
	 * The request may proceed.
	 *
	 * @param permit the permit to hand back to {@link SessionLedger#end}
	 * @param userId the user bound to the session, if any
	 * @param created whether this request created the session's record
	 * @param rateRemaining whole tokens left in the session's rate bucket after this
	 * request, or -1 when no rate limit applies (or the ledger does not report it)
	 */
	record Admitted(Permit permit, @Nullable String userId, boolean created, long rateRemaining) implements Admission {

		public Admitted {
			Objects.requireNonNull(permit, "permit cannot be null");
		}

		/**
		 * An admission that reports no rate bucket state.
		 * @param permit the permit
		 * @param userId the bound user, if any
		 * @param created whether this request created the record
		 */
		public Admitted(Permit permit, @Nullable String userId, boolean created) {
			this(permit, userId, created, -1);
		}

	}

	/**
	 * A limit refused the request.
	 *
	 * @param limit the limit
	 * @param retryAfter when a retry may succeed
	 */
	record Rejected(Limit limit, Duration retryAfter) implements Admission {

		public Rejected {
			Objects.requireNonNull(limit, "limit cannot be null");
			Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
		}

	}

	/**
	 * The session is not live: it ended before, or it ended now because of its age.
	 *
	 * @param stats the final stats
	 * @param endedNow whether this request's check ended it (then a lifecycle event is
	 * due)
	 */
	record Ended(SessionStats stats, boolean endedNow) implements Admission {

		public Ended {
			Objects.requireNonNull(stats, "stats cannot be null");
		}

	}

	/**
	 * The session belongs to another tenant; the request must not be served as part of
	 * it.
	 */
	record ForeignTenant() implements Admission {

	}

	/**
	 * The ledger's store could not be reached; the gate applies its store-failure policy.
	 * Ledgers do not return this themselves: the gate substitutes it when {@code begin}
	 * throws.
	 */
	record StoreUnavailable() implements Admission {

	}

}
