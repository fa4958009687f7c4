package io.github.sessiongate.web;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionStream;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.StoreOperation;
import io.github.sessiongate.internal.NodeCapacity;
import io.github.sessiongate.internal.OpenStream;
import io.github.sessiongate.internal.SessionGateCore;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.Permit;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestScopedLedger;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionOrigin;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.RateLimit;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * One gated request's life, from admission to its single end: it admits the request (node
 * capacity, then the session through the core), tracks the session the request uses or
 * creates, binds users, and ends the request exactly once — when its response is complete
 * for the client ({@link CompletionDetectingResponse}), when the filter chain returns, or
 * when its async cycle completes, whichever comes first.
 *
 * @author SessionGate team
 */
final class GatedRequest implements AsyncListener {

	/** The status recorded for a request whose client went away mid-response. */
	static final int CLIENT_CLOSED_REQUEST = 499;

	private static final VarHandle DONE;

	private static volatile Duration lastIdleTimeout = Duration.ZERO;

	static {
		try {
			DONE = MethodHandles.lookup().findVarHandle(GatedRequest.class, "done", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final SessionGateCore core;

	private final SessionGateFilter.Config config;

	private final HttpServletRequest request;

	/** The container's response; {@code null} for a login bound before the gate ran. */
	private final @Nullable HttpServletResponse rawResponse;

	private final @Nullable CompletionDetectingResponse response;

	private final @Nullable HttpServletRequest applicationRequest;

	private final long startNanos = System.nanoTime();

	private String clientIp = "";

	private @Nullable String tenant;

	private @Nullable String userAgent;

	private SessionOrigin origin = SessionOrigin.NONE;

	private @Nullable Permit permit;

	private @Nullable String sessionId;

	private @Nullable SessionContext context;

	/** The creation time of the session last tracked, read once from the repository. */
	private @Nullable Instant sessionCreated;

	/** The request came with (or was given) a session before the application ran. */
	private boolean hadSession;

	/** The gate answered the request itself; the application never ran. */
	private boolean answered;

	/** The node capacity this request holds (requests' or streams'), until it ends. */
	private @Nullable NodeCapacity heldCapacity;

	/** The request is a stream (server-sent events, WebSocket upgrade, stream path). */
	private boolean stream;

	/** The admitted stream; it owns the stream capacity and the permit once set. */
	private volatile @Nullable OpenStream openStream;

	private volatile @Nullable AsyncContext asyncContext;

	private Duration idleTimeout = Duration.ZERO;

	@SuppressWarnings("unused") // through DONE
	private volatile boolean done;

	private volatile boolean asyncFailed;

	private volatile boolean clientAborted;

	/** Whether the gate completed (or is completing) the stream's async cycle. */
	private final AtomicBoolean completing = new AtomicBoolean();

	private volatile @Nullable Throwable failure;

	GatedRequest(SessionGateCore core, SessionGateFilter.Config config, HttpServletRequest request,
			@Nullable HttpServletResponse response) {
		this.core = core;
		this.config = config;
		this.request = request;
		this.rawResponse = response;
		this.response = (response != null) ? new CompletionDetectingResponse(response, this) : null;
		this.applicationRequest = (response != null) ? new SessionCreationGuard(request, response) : null;
	}

	/** The request the application reads. */
	HttpServletRequest request() {
		return Objects.requireNonNull(this.applicationRequest);
	}

	/** The response the application writes to. */
	HttpServletResponse response() {
		return Objects.requireNonNull(this.response);
	}

	@Nullable SessionContext context() {
		return this.context;
	}

	/** The tracked session's id as the request leaves it (after an id change). */
	@Nullable String sessionId() {
		return this.sessionId;
	}

	// ---- admission

	/**
	 * Resolves the context and admits the request. Whatever it returns or throws,
	 * {@link #complete} must follow: it releases what admission took.
	 * @return {@code true} if the application may run; otherwise the request was answered
	 * @throws IOException when writing a refusal failed
	 */
	boolean admit() throws IOException {
		try {
			return resolveAndAdmit();
		}
		catch (IOException | RuntimeException | Error ex) {
			// e.g. the session store failed while loading the session (policy reject):
			// the application never runs, and the failure is answered outside the gate
			this.answered = true;
			throw ex;
		}
	}

	private boolean resolveAndAdmit() throws IOException {
		this.clientIp = this.config.clientIpResolver().resolveClientIp(this.request);
		this.stream = StreamRequests.isStream(this.request, this.config.streamPaths());
		NodeCapacity capacity = this.stream ? this.core.streamCapacity() : this.core.capacity();
		if (!capacity.tryAcquire()) {
			reject(this.stream ? Limit.STREAM_CAPACITY : Limit.CAPACITY, this.core.limits().retryAfter(), null);
			return false;
		}
		this.heldCapacity = capacity;
		String deviceId;
		try {
			this.tenant = resolve(this.config.tenantResolver());
			deviceId = resolve(this.config.deviceIdResolver());
		}
		catch (InvalidRequestValueException ex) {
			answer(Problem.badRequest(ex.getMessage()));
			return false;
		}
		String principal = this.config.userIdResolver().resolveUserId(this.request);
		this.userAgent = this.request.getHeader("User-Agent");
		this.origin = origin(deviceId);
		boolean always = this.config.creationPolicy() == CreationPolicy.ALWAYS;
		HttpSession session;
		Admission admission = null;
		// a ledger that stores sessions itself admits the request while loading its
		// session
		// (a stream is admitted apart: the fused admission counts ordinary requests)
		RequestScopedLedger.Scope loading = this.stream ? RequestScopedLedger.Scope.NONE
				: this.core.admitOnLoad(this.tenant);
		try {
			session = this.request.getSession(always);
			if (session != null) {
				admission = track(session, this.stream);
			}
		}
		finally {
			loading.close();
		}
		String userId = principal;
		if (session != null) {
			if (admission instanceof Admission.Ended) {
				invalidate(session);
				session = always ? this.request.getSession(true) : null;
				admission = (session != null) ? track(session, this.stream) : null;
			}
			if (admission instanceof Admission.Rejected rejected) {
				if (rejected.limit() == Limit.RATE) {
					writeRateLimitHeaders(0, rejected.retryAfter());
				}
				reject(rejected.limit(), rejected.retryAfter(), principal);
				return false;
			}
			if (admission instanceof Admission.ForeignTenant) {
				// the id resolver normally drops such ids; this is the race fallback
				answer(Problem.badRequest("The session does not belong to this tenant."));
				return false;
			}
			if (admission instanceof Admission.StoreUnavailable
					&& this.core.storeFailurePolicy() == StoreFailurePolicy.REJECT) {
				answer(Problem.storeUnavailable(this.core.limits().retryAfter()));
				return false;
			}
			if (admission instanceof Admission.Admitted admitted) {
				writeRateLimitHeaders(admitted.rateRemaining(), null);
				userId = (principal != null) ? principal : admitted.userId();
				if (principal != null && !principal.equals(admitted.userId()) && this.core.bindUser(this.sessionId,
						principal, this.clientIp, this.origin) == BindResult.Outcome.REJECTED) {
					answer(Problem.of(Limit.SESSIONS_PER_USER, Duration.ZERO));
					return false;
				}
			}
		}
		this.hadSession = session != null;
		Instant creationTime = (session == null) ? this.core.clock().instant()
				: (this.sessionCreated != null && session.getId().equals(this.sessionId)) ? this.sessionCreated
						: Instant.ofEpochMilli(session.getCreationTime());
		this.context = new SessionContext((session != null) ? session.getId() : null, userId, this.tenant, deviceId,
				this.clientIp, this.userAgent, creationTime, Map.of());
		this.request.setAttribute(SessionContextHolder.REQUEST_ATTRIBUTE, this.context);
		if (this.stream) {
			if (this.openStream == null) {
				// a stream without a session (or admitted while the store failed)
				streamOpened(null);
			}
			this.request.setAttribute(SessionStream.ATTRIBUTE, this.openStream);
		}
		return true;
	}

	/**
	 * Starts (or continues) tracking a session with this request: the one place a request
	 * is admitted into a session. The end of a session that this very check ended (its
	 * absolute age) is published here; the caller decides what happens to its data.
	 */
	private Admission track(HttpSession session) {
		return track(session, false);
	}

	private Admission track(HttpSession session, boolean asStream) {
		RequestStart start = start(session, this.tenant);
		Admission admission = asStream ? this.core.beginStream(start) : this.core.begin(start);
		if (admission instanceof Admission.Admitted admitted) {
			this.permit = admitted.permit();
			this.sessionId = session.getId();
			if (asStream) {
				streamOpened(admitted.permit());
			}
			if (admitted.created()) {
				this.core.sessionStarted(session.getId(), this.tenant, this.clientIp, this.userAgent);
			}
		}
		else if (admission instanceof Admission.Ended ended) {
			if (ended.endedNow()) {
				this.core.sessionsEnded(List.of(ended.stats()), false);
			}
		}
		return admission;
	}

	/**
	 * The stream owns its capacity and permit from now on: it releases them once, when it
	 * closes.
	 */
	private void streamOpened(@Nullable Permit streamPermit) {
		this.openStream = this.core.streamOpened(streamPermit, this.idleTimeout, this::closeResponse);
		this.heldCapacity = null;
	}

	private RequestStart start(HttpSession session, @Nullable String tenant) {
		Instant created = Instant.ofEpochMilli(session.getCreationTime());
		this.sessionCreated = created;
		this.idleTimeout = idleTimeout(session.getMaxInactiveInterval());
		return new RequestStart(session.getId(), tenant, created, this.idleTimeout, this.core.limits(), this.origin);
	}

	/** Where this request comes from, as a session's inventory keeps it. */
	private SessionOrigin origin(@Nullable String deviceId) {
		return new SessionOrigin(deviceId, this.config.inventoryClientIp().apply(this.clientIp), this.userAgent);
	}

	/** Sessions nearly always share one max inactive interval: keep its Duration. */
	private static Duration idleTimeout(int seconds) {
		Duration last = lastIdleTimeout;
		if (last.getSeconds() != seconds) {
			last = Duration.ofSeconds(seconds);
			lastIdleTimeout = last;
		}
		return last;
	}

	private void reject(Limit limit, Duration retryAfter, @Nullable String userId) throws IOException {
		this.core.rejected(limit, retryAfter, currentSessionId(), userId, this.clientIp);
		answer(Problem.of(limit, retryAfter));
	}

	/**
	 * Answers the request instead of the application. A session created for it is
	 * dropped, so nothing is stored for a request that was refused.
	 */
	private void answer(Problem problem) throws IOException {
		this.answered = true;
		HttpSession session = currentSession();
		if (session != null && session.isNew()) {
			invalidate(session);
		}
		this.config.rejectionHandler().reject(this.request, Objects.requireNonNull(this.rawResponse), problem);
	}

	// ---- binding

	/**
	 * Binds a user to this request's session through the core, after rotating the id when
	 * asked. A session created during this request starts being tracked here.
	 */
	BindResult.Outcome bind(String userId, boolean rotateSessionId) {
		HttpSession session = this.request.getSession(true);
		if (this.permit == null && !(track(session) instanceof Admission.Admitted)) {
			return BindResult.Outcome.UNKNOWN_SESSION;
		}
		String id = session.getId();
		if (rotateSessionId) {
			String newId = this.request.changeSessionId();
			this.core.sessionIdChanged(id, newId);
			id = newId;
		}
		this.sessionId = id;
		BindResult.Outcome outcome = this.core.bindUser(id, userId, this.clientIp, this.origin);
		if (outcome == BindResult.Outcome.UNKNOWN_SESSION) {
			// the session ended meanwhile (e.g. end-oldest from another login): drop it,
			// or Spring Session would save it under its new id, where nothing tracks it
			HttpSession current = currentSession();
			if (current != null) {
				invalidate(current);
			}
		}
		boolean bound = outcome == BindResult.Outcome.BOUND || outcome == BindResult.Outcome.ALREADY_BOUND;
		updateContext(id, bound ? userId : null);
		return outcome;
	}

	/**
	 * Binds a user at a login that happens before the gate saw the request (Spring
	 * Security authenticates before the gate filter runs). A session the ledger does not
	 * know yet starts being tracked with the login request counted as its first request,
	 * so the sessions-per-user limit is decided now, at login.
	 */
	static BindResult.Outcome bindAtLogin(SessionGateCore core, SessionGateFilter.Config config,
			HttpServletRequest request, String userId) {
		GatedRequest login = new GatedRequest(core, config, request, null);
		login.clientIp = config.clientIpResolver().resolveClientIp(request);
		String deviceId;
		try {
			login.tenant = login.resolve(config.tenantResolver());
			deviceId = login.resolve(config.deviceIdResolver());
		}
		catch (InvalidRequestValueException ex) {
			return BindResult.Outcome.UNKNOWN_SESSION;
		}
		login.userAgent = request.getHeader("User-Agent");
		login.origin = login.origin(deviceId);
		HttpSession session = request.getSession(true);
		BindResult.Outcome outcome = core.bindUser(session.getId(), userId, login.clientIp, login.origin);
		if (outcome != BindResult.Outcome.UNKNOWN_SESSION) {
			return outcome;
		}
		Admission admission = login.track(session);
		if (!(admission instanceof Admission.Admitted admitted)) {
			return BindResult.Outcome.UNKNOWN_SESSION;
		}
		core.end(admitted.permit(), new RequestOutcome(System.nanoTime() - login.startNanos, false));
		return core.bindUser(session.getId(), userId, login.clientIp, login.origin);
	}

	private void updateContext(String newSessionId, @Nullable String userId) {
		SessionContext current = this.context;
		if (current == null) {
			return;
		}
		SessionContext updated = current.withSessionId(newSessionId);
		if (userId != null) {
			updated = updated.withUserId(userId);
		}
		this.context = updated;
		this.request.setAttribute(SessionContextHolder.REQUEST_ATTRIBUTE, updated);
		if (SessionContextHolder.getContext() != null) {
			SessionContextHolder.setContext(updated);
		}
	}

	// ---- the end

	/** The chain threw: the request failed (unless its response was complete already). */
	void failed(Throwable ex) {
		this.failure = ex;
	}

	/**
	 * A write to the client failed: the client went away before the response was
	 * complete. The request is recorded as an error, with status 499 for the meters.
	 */
	void clientAborted(IOException ex) {
		if (this.failure == null) {
			this.failure = ex;
		}
		this.clientAborted = true;
	}

	/**
	 * Ends the request, exactly once: releases its permits, records its outcome, follows
	 * an id change, applies the error-rate policy and starts tracking a session the
	 * application created.
	 * @param status the status being sent, or -1 to read it from the response
	 */
	void complete(int status) {
		if (!DONE.compareAndSet(this, false, true)) {
			return;
		}
		long duration = System.nanoTime() - this.startNanos;
		Throwable failure = this.failure;
		int finalStatus = this.clientAborted ? CLIENT_CLOSED_REQUEST : (failure != null) ? 500
				: (status >= 0) ? status : Objects.requireNonNull(this.rawResponse).getStatus();
		boolean error = failure != null || this.asyncFailed || finalStatus >= 500;
		OpenStream open = this.openStream;
		if (open != null) {
			// a stream's end is not a request's: its duration goes to the stream meters
			try {
				if (!open.isDetached()) {
					open.release();
				}
				Permit requestPermit = this.permit;
				if (requestPermit != null && requestPermit != open.permit()) {
					// a stream without a session that logged in: its session was tracked
					// with an ordinary permit
					this.core.end(requestPermit, new RequestOutcome(duration, error));
				}
				if (requestPermit != null) {
					followIdChange();
				}
			}
			finally {
				releaseCapacity();
			}
			return;
		}
		try {
			if (this.permit != null) {
				this.core.end(this.permit, new RequestOutcome(duration, error));
				followIdChange();
				if (error && this.sessionId != null) {
					applyErrorRatePolicy(this.sessionId);
				}
			}
			else if (!this.hadSession && !this.answered) {
				trackCreatedSession(duration, error);
			}
		}
		finally {
			releaseCapacity();
		}
		if (!this.answered) {
			this.core.requestCompleted(this.sessionId, finalStatus, duration, failure);
		}
	}

	/**
	 * Follows what the application did to the session during the request: an id rotation
	 * (e.g. {@code request.changeSessionId()} at login) or an invalidation.
	 */
	private void followIdChange() {
		String before = this.sessionId;
		if (before == null) {
			return;
		}
		HttpSession current;
		try {
			current = this.request.getSession(false);
		}
		catch (IllegalStateException ex) {
			return; // the request is gone: nothing can be told about its session
		}
		if (current == null) {
			// the application invalidated the session (a logout): it ends now, not when
			// it would have idled out
			this.core.sessionInvalidated(before);
		}
		else if (!before.equals(current.getId())) {
			this.core.sessionIdChanged(before, current.getId());
			this.sessionId = current.getId();
		}
	}

	private void applyErrorRatePolicy(String id) {
		SessionStats ended = this.core.failIfErrorRateExceeded(id);
		if (ended == null) {
			return;
		}
		// invalidate through the request so Spring Session does not save it again
		HttpSession session = currentSession();
		boolean ours = session != null && id.equals(session.getId());
		if (ours) {
			invalidate(session);
		}
		this.core.sessionsEnded(List.of(ended), !ours);
	}

	/**
	 * Starts tracking a session the application created while handling this request
	 * (creation policy if-required), counting this request as its first.
	 */
	private void trackCreatedSession(long duration, boolean error) {
		if (this.config.creationPolicy() != CreationPolicy.IF_REQUIRED) {
			return;
		}
		HttpSession created = currentSession();
		if (created == null) {
			return;
		}
		Admission admission = track(created);
		if (admission instanceof Admission.Admitted admitted) {
			this.core.end(admitted.permit(), new RequestOutcome(duration, error));
		}
		else if (admission instanceof Admission.Rejected rejected && rejected.limit() == Limit.MAX_SESSIONS) {
			// over the total-sessions limit: the new session is dropped, not tracked
			this.core.rejected(Limit.MAX_SESSIONS, rejected.retryAfter(), null, null, this.clientIp);
			invalidate(created);
		}
	}

	private void releaseCapacity() {
		NodeCapacity capacity = this.heldCapacity;
		if (capacity != null) {
			this.heldCapacity = null;
			capacity.release();
		}
	}

	/** The application started an async cycle: a stream is closed by completing it. */
	void asyncStarted(AsyncContext context) {
		this.asyncContext = context;
		OpenStream open = this.openStream;
		if (open != null && open.isSessionEnded() && !open.isDetached()) {
			// the session ended before the cycle was known
			completeOnce(context);
		}
	}

	/**
	 * Completes the stream's async cycle, once: the session's end may be seen both by
	 * {@link #closeResponse()} and when the dispatch returns, and a second
	 * {@code complete()} throws from the container (Tomcat: state
	 * {@code COMPLETE_PENDING}), which cuts the connection.
	 */
	private void completeOnce(AsyncContext context) {
		if (!this.completing.compareAndSet(false, true)) {
			return;
		}
		try {
			context.complete();
		}
		catch (IllegalStateException ex) {
			// completed already (by the application or the container)
		}
	}

	/**
	 * Closes the stream's HTTP response because its session ended: the async cycle
	 * completes (a server-sent events client sees a normal end of stream); a synchronous
	 * stream has its output closed.
	 */
	private void closeResponse() {
		AsyncContext async = this.asyncContext;
		if (async == null) {
			// the application may have started the cycle (and sent its first events)
			// while its dispatch has not yet returned through this filter: closing the
			// output under a started cycle cuts the connection instead of ending the
			// stream (seen under load: the client read "closed" instead of the events)
			try {
				if (this.request.isAsyncStarted()) {
					async = this.request.getAsyncContext();
				}
			}
			catch (IllegalStateException ex) {
				// the cycle ended meanwhile: nothing to close
				return;
			}
		}
		if (async != null) {
			completeOnce(async);
			return;
		}
		HttpServletResponse raw = Objects.requireNonNull(this.rawResponse);
		try {
			raw.getOutputStream().close();
		}
		catch (IllegalStateException ex) {
			try {
				raw.getWriter().close();
			}
			catch (IOException | IllegalStateException ignored) {
				// nothing more can be closed
			}
		}
		catch (IOException ex) {
			// the client went away already
		}
	}

	@Override
	public void onComplete(AsyncEvent event) {
		complete(-1);
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

	// ---- helpers

	private @Nullable String currentSessionId() {
		HttpSession session = currentSession();
		return (session != null) ? session.getId() : null;
	}

	private @Nullable HttpSession currentSession() {
		try {
			return this.request.getSession(false);
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

	private void invalidate(HttpSession session) {
		try {
			session.invalidate();
		}
		catch (IllegalStateException ex) {
			// already invalidated: nothing to do
		}
		catch (RuntimeException ex) {
			// Spring Session deletes at once; the session is dropped from the request
			// before the delete, so nothing is saved for it either way
			this.core.storeFailed(StoreOperation.DELETE, ex);
		}
	}

	private @Nullable String resolve(@Nullable RequestValueResolver resolver) {
		return (resolver != null) ? resolver.resolve(this.request) : null;
	}

	private void writeRateLimitHeaders(long remaining, @Nullable Duration retryAfter) {
		RateLimit rate = this.core.limits().rate();
		String policy = this.config.rateLimitPolicy();
		if (rate == null || policy == null || remaining < 0) {
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
		HttpServletResponse raw = Objects.requireNonNull(this.rawResponse);
		raw.setHeader("RateLimit-Policy", policy);
		raw.setHeader("RateLimit", SessionGateFilter.RATE_POLICY_NAME + ";r=" + remaining + ";t=" + resetSeconds);
	}

	/**
	 * Refuses to create a session once the response is committed: its id could not reach
	 * the client any more (Spring Session's own filter refuses it for cookies; the gate
	 * keeps that rule whatever resolver carries the id).
	 */
	private static final class SessionCreationGuard extends HttpServletRequestWrapper {

		private final HttpServletResponse response;

		SessionCreationGuard(HttpServletRequest request, HttpServletResponse response) {
			super(request);
			this.response = response;
		}

		@Override
		public @Nullable HttpSession getSession(boolean create) {
			if (create && this.response.isCommitted()) {
				HttpSession existing = super.getSession(false);
				if (existing == null) {
					throw new IllegalStateException("Cannot create a session after the response has been committed");
				}
				return existing;
			}
			return super.getSession(create);
		}

		@Override
		public HttpSession getSession() {
			return Objects.requireNonNull(getSession(true));
		}

	}

}
