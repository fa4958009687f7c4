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

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's data: a thin view over {@link SessionGateAdmin}, the same API the
 * {@code sessiongate} Actuator endpoint serves. A user sees their own sessions, the admin
 * everyone's. Sessions are shown and acted on by their short reference
 * ({@link SessionIds#shortForm(String)}) only: a raw session id is a credential, so it
 * never leaves the server.
 *
 * @author SessionGate team
 */
@RestController
class DashboardController {

	/** The most sessions listed per status. */
	static final int MAX_PER_STATUS = 200;

	/** The end reason of sessions ended from the dashboard. */
	static final String END_REASON = "ended-from-dashboard";

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
		long liveSessions = 0;
		int activeRequests = 0;
		for (SessionStats stats : visibleSessions(authentication.getName(), admin)) {
			requests += stats.requestCount();
			errors += stats.errorCount();
			sessionRejections += stats.rejectionCount();
			activeRequests += stats.activeRequests();
			liveSessions += (stats.status() == SessionStatus.ACTIVE) ? 1 : 0;
			sessions.add(SessionRow.of(stats, stats.sessionId().equals(currentSessionId)));
		}
		return new Dashboard(Instant.now(), authentication.getName(), admin,
				admin ? summary.activeSessions() : liveSessions, activeRequests, requests, errors, sessionRejections,
				rejections, sessions);
	}

	private List<SessionStats> visibleSessions(String user, boolean admin) {
		if (!admin) {
			return this.gate.admin().sessionsOfUser(user);
		}
		List<SessionStats> all = new ArrayList<>();
		for (SessionStatus status : SessionStatus.values()) {
			all.addAll(this.gate.admin().sessionsWithStatus(status, MAX_PER_STATUS));
		}
		return all;
	}

	/**
	 * Ends a live session, named by its short reference (admin only; not the admin's own
	 * session). The session is ended in the ledger and deleted from the session
	 * repository, so its user's next request goes to the login page.
	 * @param reference the session's short reference, as the dashboard shows it
	 * @param request the admin's request
	 * @param authentication the admin
	 * @return {@code 204}, {@code 403} for non-admins, {@code 404} when no live session
	 * has that reference, {@code 409} for the caller's own session
	 */
	@PostMapping("/api/sessions/{reference}/end")
	ResponseEntity<Void> endSession(@PathVariable String reference, HttpServletRequest request,
			Authentication authentication) {
		if (!isAdmin(authentication)) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
		}
		HttpSession own = request.getSession(false);
		for (SessionStats stats : this.gate.admin()
			.sessionsWithStatus(SessionStatus.ACTIVE, SessionGateAdmin.MAX_LISTED)) {
			if (SessionIds.shortForm(stats.sessionId()).equals(reference)) {
				if (own != null && own.getId().equals(stats.sessionId())) {
					return ResponseEntity.status(HttpStatus.CONFLICT).build();
				}
				this.gate.admin().endSession(stats.sessionId(), SessionStatus.COMPLETED, END_REASON);
				return ResponseEntity.noContent().build();
			}
		}
		return ResponseEntity.notFound().build();
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
	 * @param activeSessions live sessions (the admin: all; a user: their own), from the
	 * ledger: cluster-wide with Redis
	 * @param activeRequests requests in progress in the listed sessions, from the ledger:
	 * cluster-wide with Redis
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
	 * @param id the session's short reference (never the raw id)
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
	 * @param endedAt when it ended, {@code null} while live
	 */
	record SessionRow(String id, @Nullable String user, SessionStatus status, @Nullable String endReason,
			boolean current, int activeRequests, long requests, long errors, long rejections, long averageMillis,
			Instant lastActivity, @Nullable Instant endedAt) {

		static SessionRow of(SessionStats stats, boolean current) {
			return new SessionRow(SessionIds.shortForm(stats.sessionId()), stats.userId(), stats.status(),
					stats.endReason(), current, stats.activeRequests(), stats.requestCount(), stats.errorCount(),
					stats.rejectionCount(), stats.averageProcessingTime().toMillis(), stats.lastActivity(),
					stats.endedAt());
		}

	}

}
