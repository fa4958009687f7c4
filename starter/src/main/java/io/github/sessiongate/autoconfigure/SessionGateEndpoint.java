package io.github.sessiongate.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionGateAdmin;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code sessiongate} Actuator endpoint. Exposed only as Actuator's exposure and
 * access rules allow (e.g.
 * {@code management.endpoints.web.exposure.include=sessiongate}). Over HTTP:
 * <ul>
 * <li>{@code GET /actuator/sessiongate}: the summary (live sessions, requests in
 * progress, rejections by limit);</li>
 * <li>{@code GET /actuator/sessiongate?user=alice} or {@code ?status=active&max=50}: the
 * sessions of a user or with a status;</li>
 * <li>{@code GET /actuator/sessiongate/{sessionId}}: one session;</li>
 * <li>{@code POST /actuator/sessiongate/{sessionId}} with optional {@code status}
 * (default {@code COMPLETED}) and {@code reason} (default {@code admin}): ends the
 * session.</li>
 * </ul>
 *
 * @author SessionGate team
 */
@Endpoint(id = "sessiongate")
public class SessionGateEndpoint {

	/** The reason recorded when an operator ends a session without giving one. */
	public static final String DEFAULT_END_REASON = "admin";

	private static final int DEFAULT_MAX = 100;

	private final SessionGate gate;

	/**
	 * Creates the endpoint.
	 * @param gate the gate
	 */
	public SessionGateEndpoint(SessionGate gate) {
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
	}

	/**
	 * The summary, or the sessions of a user or with a status.
	 * @param user list this user's sessions
	 * @param status list sessions with this status
	 * @param max the most sessions listed by status (default 100, at most 1000)
	 * @return a {@link Summary} or a {@link Sessions} listing
	 */
	@ReadOperation
	public Object sessions(@Nullable String user, @Nullable SessionStatus status, @Nullable Integer max) {
		if (user != null) {
			return new Sessions(this.gate.admin().sessionsOfUser(user));
		}
		if (status != null) {
			int limit = (max != null) ? max : DEFAULT_MAX;
			if (limit < 1) {
				throw new InvalidEndpointRequestException("max must be at least 1", "max must be at least 1");
			}
			return new Sessions(this.gate.admin().sessionsWithStatus(status, limit));
		}
		return summary();
	}

	/**
	 * One session, live or from history.
	 * @param sessionId the session id
	 * @return the session, or {@code null} (404) when unknown
	 */
	@ReadOperation
	public @Nullable SessionStats session(@Selector String sessionId) {
		return this.gate.admin().session(sessionId).orElse(null);
	}

	/**
	 * Ends a live session and deletes it from the session repository.
	 * @param sessionId the session id
	 * @param status the final status (default {@code COMPLETED})
	 * @param reason the end reason (default {@value #DEFAULT_END_REASON})
	 * @return the final stats, or {@code null} (404) when the session is unknown or
	 * already ended
	 */
	@WriteOperation
	public @Nullable SessionStats endSession(@Selector String sessionId, @Nullable SessionStatus status,
			@Nullable String reason) {
		try {
			return this.gate.admin()
				.endSession(sessionId, (status != null) ? status : SessionStatus.COMPLETED,
						(reason != null) ? reason : DEFAULT_END_REASON)
				.orElse(null);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	private Summary summary() {
		SessionGateAdmin.Summary summary = this.gate.admin().summary();
		Map<String, Long> rejections = new LinkedHashMap<>();
		for (Limit limit : Limit.values()) {
			rejections.put(limit.tag(), summary.rejectionsByLimit().getOrDefault(limit, 0L));
		}
		return new Summary(summary.activeSessions(), summary.activeRequests(), rejections);
	}

	/**
	 * The gate at a glance.
	 *
	 * @param activeSessions live sessions (all nodes with a shared store)
	 * @param activeRequests requests in progress on this node
	 * @param rejections rejections on this node since start, by limit tag
	 */
	public record Summary(long activeSessions, int activeRequests, Map<String, Long> rejections) {

	}

	/**
	 * A listing of sessions, most recently active first.
	 *
	 * @param sessions the sessions
	 */
	public record Sessions(List<SessionStats> sessions) {

	}

}
