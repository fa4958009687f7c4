package io.github.sessiongate.sample;

import java.time.Instant;
import java.util.ArrayList;
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
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's data: a thin read-only view over {@link SessionGateAdmin}, the same API
 * the {@code sessiongate} Actuator endpoint serves. Nobody, the admin included, sees a
 * session id (a credential): every row carries the session's reference, its short form,
 * which is also what the Actuator endpoint takes to end a session.
 *
 * @author SessionGate team
 */
@RestController
class DashboardController {

	/** The most sessions listed per status. */
	static final int MAX_PER_STATUS = 200;

	private final SessionGate gate;

	DashboardController(SessionGate gate) {
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
	}

	@GetMapping("/api/dashboard")
	Dashboard dashboard(HttpServletRequest request, Authentication authentication) {
		boolean admin = isAdmin(authentication);
		HttpSession httpSession = request.getSession(false);
		String currentSessionId = (httpSession != null) ? httpSession.getId() : null;
		SessionGateAdmin.Summary summary = this.gate.admin().summary();
		Map<String, Long> rejections = new LinkedHashMap<>();
		for (Limit limit : Limit.values()) {
			rejections.put(limit.tag(), summary.rejectionsByLimit().getOrDefault(limit, 0L));
		}
		List<SessionRow> sessions = new ArrayList<>();
		long requests = 0;
		long errors = 0;
		long sessionRejections = 0;
		for (SessionStatus status : SessionStatus.values()) {
			for (SessionStats stats : this.gate.admin().sessionsWithStatus(status, MAX_PER_STATUS)) {
				requests += stats.requestCount();
				errors += stats.errorCount();
				sessionRejections += stats.rejectionCount();
				sessions.add(SessionRow.of(stats, stats.sessionId().equals(currentSessionId)));
			}
		}
		return new Dashboard(Instant.now(), authentication.getName(), admin, summary.activeSessions(),
				summary.activeRequests(), requests, errors, sessionRejections, rejections, sessions);
	}

	/**
	 * The CSRF token the dashboard sends with its {@code POST} requests.
	 * @param token the request's token
	 * @return the header name and token
	 */
	@GetMapping("/api/csrf")
	Map<String, String> csrf(CsrfToken token) {
		return Map.of("headerName", token.getHeaderName(), "token", token.getToken());
	}

	private static boolean isAdmin(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (("ROLE_" + SecurityConfiguration.ADMIN).equals(authority.getAuthority())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * What the dashboard shows.
	 *
	 * @param time when the data was read
	 * @param user the logged-in user
	 * @param admin whether the user may end sessions
	 * @param activeSessions live sessions
	 * @param activeRequests requests in progress on this node
	 * @param requests admitted requests of the listed sessions
	 * @param errors failed requests of the listed sessions
	 * @param rejectedRequests rejected requests of the listed sessions
	 * @param rejectionsByLimit rejections on this node since start, by limit tag
	 * @param sessions live and recently ended sessions
	 */
	record Dashboard(Instant time, String user, boolean admin, long activeSessions, int activeRequests, long requests,
			long errors, long rejectedRequests, Map<String, Long> rejectionsByLimit, List<SessionRow> sessions) {

	}

	/**
	 * One session on the dashboard.
	 *
	 * @param id the session's reference (its short form)
	 * @param user the bound user
	 * @param status the lifecycle status
	 * @param endReason why it ended
	 * @param current whether it is the viewer's own session
	 * @param activeRequests requests in progress
	 * @param requests admitted requests
	 * @param errors failed requests
	 * @param rejections rejected requests
	 * @param averageMillis mean processing time
	 * @param lastActivity last request start or end
	 */
	record SessionRow(String id, @Nullable String user, SessionStatus status, @Nullable String endReason,
			boolean current, int activeRequests, long requests, long errors, long rejections, long averageMillis,
			Instant lastActivity) {

		static SessionRow of(SessionStats stats, boolean current) {
			// the reference, never the id (a credential), for admins too: the Actuator
			// endpoint ends a session by its reference
			return new SessionRow(SessionIds.shortForm(stats.sessionId()), stats.userId(), stats.status(),
					stats.endReason(), current, stats.activeRequests(), stats.requestCount(), stats.errorCount(),
					stats.rejectionCount(), stats.averageProcessingTime().toMillis(), stats.lastActivity());
		}

	}

}
