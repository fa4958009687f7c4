package io.github.sessiongate.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionGateAdmin;
import io.github.sessiongate.SessionIds;
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
 * <li>{@code GET /actuator/sessiongate/{reference}}: one session;</li>
 * <li>{@code POST /actuator/sessiongate/{reference}} with optional {@code status}
 * (default {@code COMPLETED}), {@code reason} (default {@code admin}) and {@code user}:
 * ends the session; {@code 404} when the reference is malformed, unknown or the session
 * already ended.</li>
 * </ul>
 *
 * <p>
 * A session id is a bearer credential, so the endpoint never shows one: each session is
 * shown with its {@code reference}, the 12 hex digits of {@link SessionIds#shortForm},
 * which cannot be turned back into the id. The reference identifies the session in the
 * two selector operations and resolves exactly on any node, however many sessions there
 * are ({@link SessionGateAdmin#sessionByReference}); naming the session's {@code user}
 * looks for it among that user's sessions only.
 *
 * @author SessionGate team
 */
@Endpoint(id = "sessiongate")
public class SessionGateEndpoint {

	/** The reason recorded when an operator ends a session without giving one. */
	public static final String DEFAULT_END_REASON = "admin";

	private static final int DEFAULT_MAX = 100;

	private final SessionGate gate;

	private final SessionReferences references;

	/**
	 * Creates the endpoint.
	 * @param gate the gate
	 */
	public SessionGateEndpoint(SessionGate gate) {
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
		this.references = new SessionReferences(gate);
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
			return listing(this.gate.admin().sessionsOfUser(user));
		}
		if (status != null) {
			int limit = (max != null) ? max : DEFAULT_MAX;
			if (limit < 1) {
				throw new InvalidEndpointRequestException("max must be at least 1", "max must be at least 1");
			}
			return listing(this.gate.admin().sessionsWithStatus(status, limit));
		}
		return summary();
	}

	/**
	 * One session, live or from history.
	 * @param reference the session's reference
	 * @param user the session's user, if known (finds the session among that user's)
	 * @return the session, or {@code null} (404) when the reference is malformed or
	 * unknown
	 */
	@ReadOperation
	public @Nullable SessionView session(@Selector String reference, @Nullable String user) {
		SessionStats stats = this.references.resolve(reference, user);
		return (stats != null) ? view(stats) : null;
	}

	/**
	 * Ends a live session and deletes it from the session repository.
	 * @param reference the session's reference
	 * @param status the final status (default {@code COMPLETED})
	 * @param reason the end reason (default {@value #DEFAULT_END_REASON})
	 * @param user the session's user, if known (finds the session among that user's)
	 * @return the final state, or {@code null} when the reference is malformed or unknown
	 * or the session already ended (answered {@code 404} over HTTP)
	 */
	@WriteOperation
	public @Nullable SessionView endSession(@Selector String reference, @Nullable SessionStatus status,
			@Nullable String reason, @Nullable String user) {
		SessionStatus finalStatus = (status != null) ? status : SessionStatus.COMPLETED;
		String finalReason = (reason != null) ? reason : DEFAULT_END_REASON;
		if (!finalStatus.isEnded()) {
			throw new InvalidEndpointRequestException("status must be COMPLETED, FAILED or EXPIRED",
					"status must be COMPLETED, FAILED or EXPIRED");
		}
		SessionStats target = this.references.resolve(reference, user);
		if (target == null || target.status().isEnded()) {
			return null;
		}
		try {
			return this.gate.admin()
				.endSession(target.sessionId(), finalStatus, finalReason)
				.map(this::view)
				.orElse(null);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	private Sessions listing(List<SessionStats> sessions) {
		return new Sessions(sessions.stream().map(this::view).toList());
	}

	private SessionView view(SessionStats stats) {
		return new SessionView(SessionIds.shortForm(stats.sessionId()), stats.tenant(), stats.userId(), stats.status(),
				stats.endReason(), stats.createdAt(), stats.lastActivity(), stats.endedAt(), stats.activeRequests(),
				stats.requestCount(), stats.errorCount(), stats.rejectionCount(), stats.totalProcessingTime(),
				stats.maxProcessingTime(), stats.origin().deviceId(), stats.origin().clientIp(),
				stats.origin().userAgent(), stats.openStreams(), stats.streamCount(), stats.metadata());
	}

	private Summary summary() {
		SessionGateAdmin.Summary summary = this.gate.admin().summary();
		Map<String, Long> rejections = new LinkedHashMap<>();
		for (Limit limit : Limit.values()) {
			rejections.put(limit.tag(), summary.rejectionsByLimit().getOrDefault(limit, 0L));
		}
		return new Summary(summary.activeSessions(), summary.activeRequests(), this.gate.admin().activeStreams(),
				rejections);
	}

	/**
	 * The gate at a glance.
	 *
	 * @param activeSessions live sessions (all nodes with a shared store)
	 * @param activeRequests requests in progress on this node
	 * @param activeStreams streams open on this node
	 * @param rejections rejections on this node since start, by limit tag
	 */
	public record Summary(long activeSessions, int activeRequests, int activeStreams, Map<String, Long> rejections) {

	}

	/**
	 * A listing of sessions, most recently active first.
	 *
	 * @param sessions the sessions
	 */
	public record Sessions(List<SessionView> sessions) {

	}

	/**
	 * One session as an operator sees it: its tracked state, with a reference in place of
	 * the session id.
	 *
	 * @param reference the session's reference (12 hex digits of the SHA-256 of its id;
	 * the same in logs and MDC)
	 * @param tenant the tenant, or {@code null}
	 * @param userId the bound user, or {@code null}
	 * @param status the lifecycle status
	 * @param endReason why the session ended, {@code null} while active
	 * @param createdAt when the session was created
	 * @param lastActivity when the session last started or finished a request
	 * @param endedAt when the session ended, {@code null} while active
	 * @param activeRequests requests in progress
	 * @param requestCount admitted requests
	 * @param errorCount failed requests
	 * @param rejectionCount rejected requests
	 * @param totalProcessingTime summed processing time of finished requests
	 * @param maxProcessingTime longest processing time of a finished request
	 * @param deviceId the device id of the request that started the session or signed in,
	 * or {@code null}
	 * @param clientIp that request's address as {@code sessiongate.inventory.client-ip}
	 * keeps it, or {@code null}
	 * @param userAgent that request's user agent (truncated), or {@code null}
	 * @param openStreams streams open now (server-sent events, WebSockets, long polls)
	 * @param streamCount streams the session opened
	 * @param metadata the application's metadata the session keeps
	 * ({@code sessiongate.inventory.metadata.keys})
	 */
	public record SessionView(String reference, @Nullable String tenant, @Nullable String userId, SessionStatus status,
			@Nullable String endReason, Instant createdAt, Instant lastActivity, @Nullable Instant endedAt,
			int activeRequests, long requestCount, long errorCount, long rejectionCount, Duration totalProcessingTime,
			Duration maxProcessingTime, @Nullable String deviceId, @Nullable String clientIp,
			@Nullable String userAgent, int openStreams, long streamCount, Map<String, String> metadata) {

	}

}
