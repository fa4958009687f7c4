package io.github.sessiongate.web;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.events.RequestCompletedEvent;
import io.github.sessiongate.events.RequestRejectedEvent;
import io.github.sessiongate.events.SessionStartedEvent;
import io.github.sessiongate.events.UserBoundEvent;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.Permit;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.ErrorRatePolicy;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.RateLimit;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The gate: resolves the request's {@link SessionContext}, admits the request (node
 * capacity, then the session's limits through the ledger), exposes the context while the
 * application runs, and records the outcome when the request ends (after its async cycle,
 * if any).
 *
 * <p>
 * It must run after Spring Session's {@code SessionRepositoryFilter} (order
 * {@code SessionRepositoryFilter.DEFAULT_ORDER}, {@code Integer.MIN_VALUE + 50}) and
 * after Spring Security's filter chain (order {@code -100}) so the session and the
 * authenticated user are known; {@link #DEFAULT_ORDER} places it there. Plain servlet
 * apps register {@link SessionGate#filter()} instead, which includes Spring Session's
 * wrapping.
 *
 * <p>
 * A rejected request never reaches the application: it is answered by the
 * {@link RejectionHandler}, counted and published as an event. Re-dispatches of a gated
 * request ({@code ASYNC}, {@code ERROR}, {@code FORWARD}, {@code INCLUDE}) are not
 * counted again; they only see the context.
 *
 * @author SessionGate team
 */
public class SessionGateFilter implements Filter {

	/**
	 * The default order: after Spring Security's filter chain ({@code -100}), before
	 * ordinary application filters ({@code 0}).
	 */
	public static final int DEFAULT_ORDER = -50;

	/** MDC key holding the short, non-reversible form of the session id. */
	public static final String MDC_SESSION = "sessiongate.session";

	/** MDC key holding the user id. */
	public static final String MDC_USER = "sessiongate.user";

	private static final String GATED_ATTRIBUTE = SessionGateFilter.class.getName() + ".GATED";

	private static final String TRACKER_ATTRIBUTE = SessionGateFilter.class.getName() + ".TRACKER";

	private static final String RATE_POLICY_NAME = "\"session\"";

	private final SessionGate gate;

	private final @Nullable String rateLimitPolicy;

	/**
	 * Creates the filter for a gate.
	 * @param gate the gate
	 */
	public SessionGateFilter(SessionGate gate) {
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
		RateLimit rate = gate.limits().rate();
		// the limits never change, so the policy header is built once, not per request
		this.rateLimitPolicy = (rate != null) ? RATE_POLICY_NAME + ";q=" + rate.capacity() + ";w="
				+ Math.max(1, (rate.refillPeriod().toMillis() + 999) / 1000) : null;
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		if (!(servletRequest instanceof HttpServletRequest request)
				|| !(servletResponse instanceof HttpServletResponse response)) {
			chain.doFilter(servletRequest, servletResponse);
			return;
		}
		if (request.getAttribute(GATED_ATTRIBUTE) != null) {
			redispatch(request, response, chain);
			return;
		}
		if (!this.gate.excludedPaths().isEmpty() && this.gate.excludedPaths().matches(pathWithinApplication(request))) {
			chain.doFilter(request, response);
			return;
		}
		request.setAttribute(GATED_ATTRIBUTE, Boolean.TRUE);
		gate(request, response, chain);
	}

	private void gate(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		long startNanos = System.nanoTime();
		String clientIp = this.gate.clientIpResolver().resolveClientIp(request);
		if (!this.gate.capacity().tryAcquire()) {
			reject(request, response, Problem.of(Limit.CAPACITY, this.gate.limits().retryAfter()), null, null,
					clientIp);
			return;
		}
		Tracker tracker = new Tracker(request, response, startNanos);
		request.setAttribute(TRACKER_ATTRIBUTE, tracker);
		try {
			SessionContext context = admit(request, response, clientIp, tracker);
			if (context == null) {
				return;
			}
			request.setAttribute(SessionContextHolder.REQUEST_ATTRIBUTE, context);
			SessionContextHolder.setContext(context);
			setMdc(context);
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			tracker.failure = ex;
			throw ex;
		}
		finally {
			SessionContextHolder.clearContext();
			clearMdc();
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(tracker, request, response);
			}
			else {
				tracker.complete();
			}
		}
	}

	/**
	 * Resolves the context and admits the request.
	 * @return the context, or {@code null} when the request was answered here
	 */
	private @Nullable SessionContext admit(HttpServletRequest request, HttpServletResponse response, String clientIp,
			Tracker tracker) throws IOException {
		String tenant;
		String deviceId;
		try {
			tenant = resolve(this.gate.tenantResolver(), request);
			deviceId = resolve(this.gate.deviceIdResolver(), request);
		}
		catch (InvalidRequestValueException ex) {
			this.gate.rejectionHandler().reject(request, response, Problem.badRequest(ex.getMessage()));
			tracker.answered = true;
			return null;
		}
		tracker.tenant = tenant;
		tracker.clientIp = clientIp;
		String principal = this.gate.userIdResolver().resolveUserId(request);
		String userAgent = request.getHeader("User-Agent");
		tracker.userAgent = userAgent;
		CreationPolicy policy = this.gate.creationPolicy();
		HttpSession session = request.getSession(policy == CreationPolicy.ALWAYS);
		tracker.hadSession = session != null;
		Instant creationTime = null;
		String userId = principal;
		if (session != null) {
			Admission admission = begin(session, tenant);
			if (admission instanceof Admission.Ended ended) {
				if (ended.endedNow()) {
					this.gate.sessionsEnded(List.of(ended.stats()), false);
				}
				invalidate(session);
				session = (policy == CreationPolicy.ALWAYS) ? request.getSession(true) : null;
				tracker.hadSession = session != null;
				admission = (session != null) ? begin(session, tenant) : null;
			}
			if (admission instanceof Admission.Rejected rejected) {
				if (rejected.limit() == Limit.MAX_SESSIONS && session != null && session.isNew()) {
					invalidate(session);
				}
				tracker.answered = true;
				if (rejected.limit() == Limit.RATE) {
					writeRateLimitHeaders(response, 0, rejected.retryAfter());
				}
				reject(request, response, Problem.of(rejected.limit(), rejected.retryAfter()),
						(session != null) ? session.getId() : null, principal, clientIp);
				return null;
			}
			if (admission instanceof Admission.ForeignTenant) {
				// the id resolver normally drops such ids; this is the race fallback
				tracker.answered = true;
				this.gate.rejectionHandler()
					.reject(request, response, Problem.badRequest("The session does not belong to this tenant."));
				return null;
			}
			if (admission instanceof Admission.StoreUnavailable) {
				if (this.gate.storeFailurePolicy() == StoreFailurePolicy.REJECT) {
					tracker.answered = true;
					this.gate.rejectionHandler()
						.reject(request, response, Problem.storeUnavailable(this.gate.limits().retryAfter()));
					return null;
				}
			}
			else if (admission instanceof Admission.Admitted admitted && session != null) {
				tracker.permit = admitted.permit();
				tracker.sessionId = session.getId();
				writeRateLimitHeaders(response, admitted.rateRemaining(), null);
				if (admitted.created()) {
					this.gate.events()
						.publish(new SessionStartedEvent(this.gate.clock().instant(), session.getId(), tenant, clientIp,
								userAgent));
				}
				userId = (principal != null) ? principal : admitted.userId();
				if (principal != null && !principal.equals(admitted.userId())) {
					if (!bind(request, response, session.getId(), principal, clientIp, tracker)) {
						return null;
					}
				}
			}
			if (session != null) {
				creationTime = Instant.ofEpochMilli(session.getCreationTime());
			}
		}
		return new SessionContext((session != null) ? session.getId() : null, userId, tenant, deviceId, clientIp,
				userAgent, (creationTime != null) ? creationTime : this.gate.clock().instant(), Map.of());
	}

	private @Nullable Admission begin(HttpSession session, @Nullable String tenant) {
		RequestStart start = new RequestStart(session.getId(), tenant, Instant.ofEpochMilli(session.getCreationTime()),
				Duration.ofSeconds(session.getMaxInactiveInterval()), this.gate.limits());
		try {
			return this.gate.ledger().begin(start);
		}
		catch (RuntimeException ex) {
			this.gate.storeFailed("begin", ex);
			return new Admission.StoreUnavailable();
		}
	}

	private boolean bind(HttpServletRequest request, HttpServletResponse response, String sessionId, String userId,
			String clientIp, Tracker tracker) throws IOException {
		BindResult result;
		try {
			result = this.gate.ledger().bindUser(sessionId, userId, this.gate.limits());
		}
		catch (RuntimeException ex) {
			this.gate.storeFailed("bind", ex);
			return true;
		}
		this.gate.sessionsEnded(result.endedSessions(), true);
		if (result.outcome() == BindResult.Outcome.REJECTED) {
			tracker.answered = true;
			reject(request, response, Problem.of(Limit.SESSIONS_PER_USER, Duration.ZERO), sessionId, userId, clientIp);
			return false;
		}
		if (result.outcome() == BindResult.Outcome.BOUND) {
			this.gate.events().publish(new UserBoundEvent(this.gate.clock().instant(), sessionId, userId));
		}
		return true;
	}

	/**
	 * Binds a user to the request's session, rotating its id first. Applications call
	 * {@link SessionGate#bindUser(HttpServletRequest, String)}, which validates the
	 * arguments and delegates here.
	 * @param request a request gated by this filter
	 * @param userId the user id
	 * @return the outcome
	 */
	public BindResult.Outcome bindUser(HttpServletRequest request, String userId) {
		if (!(request.getAttribute(TRACKER_ATTRIBUTE) instanceof Tracker tracker)) {
			throw new IllegalStateException("bindUser needs a request that went through the SessionGate filter");
		}
		HttpSession session = request.getSession(true);
		if (tracker.permit == null) {
			// a session created during this request: track it from now on, counting this
			// request
			Admission admission = begin(session, tracker.tenant);
			if (!(admission instanceof Admission.Admitted admitted)) {
				return BindResult.Outcome.UNKNOWN_SESSION;
			}
			tracker.permit = admitted.permit();
			tracker.sessionId = session.getId();
			tracker.hadSession = true;
			if (admitted.created()) {
				this.gate.events()
					.publish(new SessionStartedEvent(this.gate.clock().instant(), session.getId(), tracker.tenant,
							tracker.clientIp, tracker.userAgent));
			}
		}
		String oldId = session.getId();
		String newId = request.changeSessionId();
		try {
			this.gate.ledger().changeSessionId(oldId, newId);
			tracker.sessionId = newId;
			BindResult result = this.gate.ledger().bindUser(newId, userId, this.gate.limits());
			this.gate.sessionsEnded(result.endedSessions(), true);
			if (result.outcome() == BindResult.Outcome.REJECTED) {
				this.gate.countRejection(Limit.SESSIONS_PER_USER);
				this.gate.events()
					.publish(new RequestRejectedEvent(this.gate.clock().instant(), Limit.SESSIONS_PER_USER, newId,
							userId, tracker.clientIp, Duration.ZERO));
			}
			else if (result.outcome() == BindResult.Outcome.BOUND) {
				this.gate.events().publish(new UserBoundEvent(this.gate.clock().instant(), newId, userId));
			}
			if (result.outcome() == BindResult.Outcome.UNKNOWN_SESSION) {
				// the session ended meanwhile (e.g. end-oldest from another login): drop
				// it, or
				// Spring Session would save it under its new id, where nothing tracks it
				HttpSession rotated = request.getSession(false);
				if (rotated != null) {
					invalidate(rotated);
				}
				updateContext(request, newId, null);
			}
			else if (result.outcome() == BindResult.Outcome.BOUND
					|| result.outcome() == BindResult.Outcome.ALREADY_BOUND) {
				updateContext(request, newId, userId);
			}
			else {
				updateContext(request, newId, null);
			}
			return result.outcome();
		}
		catch (RuntimeException ex) {
			this.gate.storeFailed("bind", ex);
			updateContext(request, newId, null);
			return BindResult.Outcome.UNKNOWN_SESSION;
		}
	}

	private static void updateContext(HttpServletRequest request, String sessionId, @Nullable String userId) {
		SessionContext current = SessionContextHolder.getContext();
		if (current == null
				&& request.getAttribute(SessionContextHolder.REQUEST_ATTRIBUTE) instanceof SessionContext c) {
			current = c;
		}
		if (current == null) {
			return;
		}
		SessionContext updated = current.withSessionId(sessionId);
		if (userId != null) {
			updated = updated.withUserId(userId);
		}
		request.setAttribute(SessionContextHolder.REQUEST_ATTRIBUTE, updated);
		SessionContextHolder.setContext(updated);
		setMdc(updated);
	}

	private void writeRateLimitHeaders(HttpServletResponse response, long remaining, @Nullable Duration retryAfter) {
		RateLimit rate = this.gate.limits().rate();
		String policy = this.rateLimitPolicy;
		if (rate == null || policy == null || remaining < 0 || !this.gate.rateLimitHeaders()) {
			return;
		}
		long resetSeconds;
		if (retryAfter != null) {
			resetSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
		}
		else {
			long missingNanos = (rate.capacity() - remaining) * rate.nanosPerToken();
			resetSeconds = (missingNanos + 999_999_999L) / 1_000_000_000L;
		}
		response.setHeader("RateLimit-Policy", policy);
		response.setHeader("RateLimit", RATE_POLICY_NAME + ";r=" + remaining + ";t=" + resetSeconds);
	}

	private void reject(HttpServletRequest request, HttpServletResponse response, Problem problem,
			@Nullable String sessionId, @Nullable String userId, String clientIp) throws IOException {
		Limit limit = Objects.requireNonNull(problem.limit());
		this.gate.countRejection(limit);
		this.gate.events()
			.publish(new RequestRejectedEvent(this.gate.clock().instant(), limit, sessionId, userId, clientIp,
					Objects.requireNonNull(problem.retryAfter())));
		this.gate.rejectionHandler().reject(request, response, problem);
	}

	private void redispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		SessionContext previous = SessionContextHolder.getContext();
		Object context = request.getAttribute(SessionContextHolder.REQUEST_ATTRIBUTE);
		if (context instanceof SessionContext sessionContext) {
			SessionContextHolder.setContext(sessionContext);
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (previous != null) {
				SessionContextHolder.setContext(previous);
			}
			else {
				SessionContextHolder.clearContext();
			}
		}
	}

	private void invalidate(HttpSession session) {
		try {
			session.invalidate();
		}
		catch (IllegalStateException ex) {
			// already invalidated: nothing to do
		}
	}

	private static @Nullable String resolve(@Nullable RequestValueResolver resolver, HttpServletRequest request) {
		return (resolver != null) ? resolver.resolve(request) : null;
	}

	private static String pathWithinApplication(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		String path = (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath))
				? uri.substring(contextPath.length()) : uri;
		return path.isEmpty() ? "/" : path;
	}

	private static void setMdc(SessionContext context) {
		if (context.sessionId() != null) {
			MDC.put(MDC_SESSION, SessionIds.shortForm(context.sessionId()));
		}
		if (context.userId() != null) {
			MDC.put(MDC_USER, context.userId());
		}
	}

	private static void clearMdc() {
		MDC.remove(MDC_SESSION);
		MDC.remove(MDC_USER);
	}

	/**
	 * One gated request's bookkeeping. Completes exactly once, on the request thread or,
	 * for async requests, when the async cycle ends.
	 */
	private final class Tracker implements AsyncListener {

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private final long startNanos;

		private final AtomicBoolean done = new AtomicBoolean();

		@Nullable Permit permit;

		@Nullable String sessionId;

		@Nullable String tenant;

		String clientIp = "";

		@Nullable String userAgent;

		boolean hadSession;

		boolean answered;

		volatile boolean asyncFailed;

		volatile @Nullable Throwable failure;

		Tracker(HttpServletRequest request, HttpServletResponse response, long startNanos) {
			this.request = request;
			this.response = response;
			this.startNanos = startNanos;
		}

		void complete() {
			if (!this.done.compareAndSet(false, true)) {
				return;
			}
			long duration = System.nanoTime() - this.startNanos;
			Throwable failure = this.failure;
			int status = (failure != null) ? 500 : this.response.getStatus();
			boolean error = failure != null || this.asyncFailed || status >= 500;
			SessionLedger ledger = SessionGateFilter.this.gate.ledger();
			try {
				if (this.permit != null) {
					ledger.end(this.permit, new RequestOutcome(duration, error));
					followIdChange();
					if (error) {
						applyErrorRatePolicy();
					}
				}
				else if (!this.hadSession && !this.answered) {
					trackCreatedSession(duration, error);
				}
			}
			catch (RuntimeException ex) {
				SessionGateFilter.this.gate.storeFailed("end", ex);
			}
			finally {
				SessionGateFilter.this.gate.capacity().release();
			}
			// built only when someone listens: this runs on every request
			if (!this.answered && SessionGateFilter.this.gate.events().hasListeners()) {
				SessionGateFilter.this.gate.events()
					.publish(new RequestCompletedEvent(SessionGateFilter.this.gate.clock().instant(), this.sessionId,
							status, duration, failure));
			}
		}

		/**
		 * Moves the ledger's state when the application rotated the session id during the
		 * request (e.g. {@code request.changeSessionId()} at login).
		 */
		private void followIdChange() {
			String before = this.sessionId;
			if (before == null) {
				return;
			}
			HttpSession current = currentSession();
			if (current != null && !before.equals(current.getId())) {
				SessionGateFilter.this.gate.ledger().changeSessionId(before, current.getId());
				this.sessionId = current.getId();
			}
		}

		private @Nullable HttpSession currentSession() {
			try {
				return this.request.getSession(false);
			}
			catch (IllegalStateException ex) {
				return null;
			}
		}

		/**
		 * Fails the session when the error-rate policy says so. Runs only after failed
		 * requests, so healthy traffic pays nothing for it.
		 */
		private void applyErrorRatePolicy() {
			ErrorRatePolicy policy = SessionGateFilter.this.gate.limits().errorRatePolicy();
			String id = this.sessionId;
			if (policy == null || id == null) {
				return;
			}
			SessionLedger ledger = SessionGateFilter.this.gate.ledger();
			SessionStats stats = ledger.find(id);
			if (stats != null && stats.status() == io.github.sessiongate.SessionStatus.ACTIVE
					&& policy.isViolatedBy(stats.completedRequests(), stats.errorCount())) {
				SessionStats ended = ledger.endSession(id, io.github.sessiongate.SessionStatus.FAILED, "error-rate");
				if (ended != null) {
					// invalidate through the request so Spring Session does not save it
					// again on commit
					HttpSession session = currentSession();
					if (session != null && id.equals(session.getId())) {
						invalidate(session);
						SessionGateFilter.this.gate.sessionsEnded(List.of(ended), false);
					}
					else {
						SessionGateFilter.this.gate.sessionsEnded(List.of(ended), true);
					}
				}
			}
		}

		/**
		 * Starts tracking a session the application created while handling this request.
		 */
		private void trackCreatedSession(long duration, boolean error) {
			if (SessionGateFilter.this.gate.creationPolicy() != CreationPolicy.IF_REQUIRED) {
				return;
			}
			HttpSession created;
			try {
				created = this.request.getSession(false);
			}
			catch (IllegalStateException ex) {
				return;
			}
			if (created == null) {
				return;
			}
			Admission admission = begin(created, this.tenant);
			if (admission instanceof Admission.Admitted admitted) {
				this.sessionId = created.getId();
				SessionGateFilter.this.gate.ledger().end(admitted.permit(), new RequestOutcome(duration, error));
				if (admitted.created()) {
					SessionGateFilter.this.gate.events()
						.publish(new SessionStartedEvent(SessionGateFilter.this.gate.clock().instant(), created.getId(),
								this.tenant, this.clientIp, this.userAgent));
				}
			}
			else if (admission instanceof Admission.Rejected rejected && rejected.limit() == Limit.MAX_SESSIONS) {
				// over the total-sessions limit: the new session is dropped, not tracked
				SessionGateFilter.this.gate.countRejection(Limit.MAX_SESSIONS);
				invalidate(created);
			}
		}

		@Override
		public void onComplete(AsyncEvent event) {
			complete();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			this.asyncFailed = true;
		}

		@Override
		public void onError(AsyncEvent event) {
			this.asyncFailed = true;
			if (this.failure == null) {
				this.failure = event.getThrowable();
			}
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			// the application started a new async cycle: keep listening to it
			event.getAsyncContext().addListener(this, this.request, this.response);
		}

	}

}
