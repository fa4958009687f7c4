package io.github.sessiongate.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.github.sessiongate.limit.SessionLimits;
import org.jspecify.annotations.Nullable;

/**
 * What the gate knows when a request of a session arrives.
 *
 * @param sessionId the (validated) session id
 * @param tenant the tenant the request was made under, or {@code null}
 * @param creationTime when the session was created (from the session repository)
 * @param idleTimeout the session's max inactive interval
 * @param limits the limits to enforce
 * @param origin where the request comes from, recorded when it creates the session's
 * record
 * @author SessionGate team
 */
public record RequestStart(String sessionId, @Nullable String tenant, Instant creationTime, Duration idleTimeout,
		SessionLimits limits, SessionOrigin origin) {

	public RequestStart {
		Objects.requireNonNull(origin, "origin cannot be null");
		Objects.requireNonNull(sessionId, "sessionId cannot be null");
		Objects.requireNonNull(creationTime, "creationTime cannot be null");
		Objects.requireNonNull(idleTimeout, "idleTimeout cannot be null");
		Objects.requireNonNull(limits, "limits cannot be null");
	}

	/**
	 * A request start with no known origin.
	 * @param sessionId the (validated) session id
	 * @param tenant the tenant, or {@code null}
	 * @param creationTime when the session was created
	 * @param idleTimeout the session's max inactive interval
	 * @param limits the limits to enforce
	 */
	public RequestStart(String sessionId, @Nullable String tenant, Instant creationTime, Duration idleTimeout,
			SessionLimits limits) {
		this(sessionId, tenant, creationTime, idleTimeout, limits, SessionOrigin.NONE);
	}

}
