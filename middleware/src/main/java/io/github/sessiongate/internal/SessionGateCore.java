package io.github.sessiongate.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.StoreOperation;
import io.github.sessiongate.events.RequestCompletedEvent;
import io.github.sessiongate.events.RequestRejectedEvent;
import io.github.sessiongate.events.SessionEndedEvent;
import io.github.sessiongate.events.SessionGateEvents;
import io.github.sessiongate.events.SessionStartedEvent;
import io.github.sessiongate.events.StoreFailureEvent;
import io.github.sessiongate.events.StreamClosedEvent;
import io.github.sessiongate.events.TenantMismatchEvent;
import io.github.sessiongate.events.UserBoundEvent;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.MetadataPolicy;
import io.github.sessiongate.ledger.Permit;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestScopedLedger;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionOrigin;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.ledger.StreamRenewal;
import io.github.sessiongate.limit.ErrorRatePolicy;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * The one owner of what a request and a session do to the ledger, the events and the
 * node's counts. It knows nothing of servlets: the filter (and the Spring Security
 * integration) translate requests into calls here.
 *
 * <p>
 * Every count an operator sees lives here once: rejections by limit, sessions started and
 * ended, store errors, tenant mismatches, requests in progress. They are
 * <em>node-local</em> (what this node did since it started); the Micrometer meters and
 * the admin summary read them, so they agree by construction. Per-session counts live in
 * the ledger (cluster-wide with a shared store).
 *
 * <p>
 * Every routine that changes a session is written once here: {@link #begin},
 * {@link #end}, {@link #bindUser}, {@link #sessionIdChanged}, {@link #endSession},
 * {@link #sessionsEnded}, {@link #sweep}. Store failures never escape them: they are
 * counted, logged once per burst and answered by the caller's store-failure policy.
 *
 * @author SessionGate team
 */
public final class SessionGateCore implements AutoCloseable {

	/** The end reason of a session the application invalidated. */
	public static final String INVALIDATED = "invalidated";

	private static final Logger logger = LoggerFactory.getLogger(SessionGateCore.class);

	/** Store failures this far apart start a new burst (and a new warning). */
	private static final long STORE_FAILURE_QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** During a long burst, a reminder warning at most this often. */
	private static final long STORE_FAILURE_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	/**
	 * How long after its end a session may still be saved again by a finishing request.
	 */
	private static final Duration RESAVE_GRACE = Duration.ofSeconds(10);

	/**
	 * A stream open this long renews its session's last access once more when it ends.
	 */
	private static final long FINAL_KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** Default interval between renewals of this node's open streams. */
	public static final Duration DEFAULT_STREAM_CHECK_INTERVAL = Duration.ofSeconds(2);

	private static final int RECORDED_METADATA_MAX = 10_000;

	private final SessionRepository<? extends Session> repository;

	private final SessionLedger ledger;

	private final SessionLimits limits;

	private final Clock clock;

	private final StoreFailurePolicy storeFailurePolicy;

	private final SessionGateEvents events = new SessionGateEvents();

	private final NodeCapacity capacity;

	private final AtomicLongArray rejections = new AtomicLongArray(Limit.values().length);

	private final AtomicLongArray sessionsEnded = new AtomicLongArray(SessionStatus.values().length);

	private final LongAdder sessionsStarted = new LongAdder();

	private final AtomicLongArray storeErrors = new AtomicLongArray(StoreOperation.values().length);

	private final AtomicLong tenantMismatches = new AtomicLong();

	/**
	 * Sessions the gate ended: a request of such a session that was still finishing saves
	 * it again when Spring Session commits, so the sweeper deletes them once more after
	 * their requests are done and a grace period has passed.
	 */
	private final Set<String> pendingDeletes = ConcurrentHashMap.newKeySet();

	private final AtomicLong lastStoreFailureNanos = new AtomicLong();

	private final AtomicLong lastStoreFailureLogNanos = new AtomicLong();

	private final AtomicLong unloggedStoreFailures = new AtomicLong();

	private final @Nullable ScheduledExecutorService sweeper;

	private final NodeCapacity streamCapacity;

	/** The streams open on this node. */
	private final Set<OpenStream> openStreams = ConcurrentHashMap.newKeySet();

	private final Duration streamCheckInterval;

	private final @Nullable ScheduledExecutorService streamChecker;

	private final MetadataPolicy metadataPolicy;

	/**
	 * The metadata this node last recorded per session, so that a request repeating what
	 * its session keeps writes nothing.
	 */
	private final Map<String, Map<String, String>> recordedMetadata = new ConcurrentHashMap<>();

	/**
	 * Creates the core and starts its sweeper.
	 * @param repository where sessions live (ended sessions are deleted from it)
	 * @param ledger the ledger
	 * @param limits the limits
	 * @param clock the clock for event timestamps
	 * @param storeFailurePolicy what requests get when the store fails
	 * @param sweepInterval how often to sweep; {@link Duration#ZERO} for never
	 */
	public SessionGateCore(SessionRepository<? extends Session> repository, SessionLedger ledger, SessionLimits limits,
			Clock clock, StoreFailurePolicy storeFailurePolicy, Duration sweepInterval) {
		this(repository, ledger, limits, clock, storeFailurePolicy, sweepInterval, DEFAULT_STREAM_CHECK_INTERVAL,
				MetadataPolicy.none());
	}

	/**
	 * Creates the core and starts its sweeper and its stream checker; sessions keep no
	 * application metadata.
	 * @param repository where sessions live (ended sessions are deleted from it)
	 * @param ledger the ledger
	 * @param limits the limits
	 * @param clock the clock for event timestamps
	 * @param storeFailurePolicy what requests get when the store fails
	 * @param sweepInterval how often to sweep; {@link Duration#ZERO} for never
	 * @param streamCheckInterval how often open streams are renewed and their sessions
	 * checked; {@link Duration#ZERO} for never
	 */
	public SessionGateCore(SessionRepository<? extends Session> repository, SessionLedger ledger, SessionLimits limits,
			Clock clock, StoreFailurePolicy storeFailurePolicy, Duration sweepInterval, Duration streamCheckInterval) {
		this(repository, ledger, limits, clock, storeFailurePolicy, sweepInterval, streamCheckInterval,
				MetadataPolicy.none());
	}

	/**
	 * Creates the core and starts its sweeper and its stream checker (every
	 * {@link #DEFAULT_STREAM_CHECK_INTERVAL}).
	 * @param repository where sessions live (ended sessions are deleted from it)
	 * @param ledger the ledger
	 * @param limits the limits
	 * @param clock the clock for event timestamps
	 * @param storeFailurePolicy what requests get when the store fails
	 * @param sweepInterval how often to sweep; {@link Duration#ZERO} for never
	 * @param metadataPolicy which of the application's metadata sessions keep
	 */
	public SessionGateCore(SessionRepository<? extends Session> repository, SessionLedger ledger, SessionLimits limits,
			Clock clock, StoreFailurePolicy storeFailurePolicy, Duration sweepInterval, MetadataPolicy metadataPolicy) {
		this(repository, ledger, limits, clock, storeFailurePolicy, sweepInterval, DEFAULT_STREAM_CHECK_INTERVAL,
				metadataPolicy);
	}

	/**
	 * Creates the core and starts its sweeper and its stream checker.
	 * @param repository where sessions live (ended sessions are deleted from it)
	 * @param ledger the ledger
	 * @param limits the limits
	 * @param clock the clock for event timestamps
	 * @param storeFailurePolicy what requests get when the store fails
	 * @param sweepInterval how often to sweep; {@link Duration#ZERO} for never
	 * @param streamCheckInterval how often open streams are renewed and their sessions
	 * checked (the bound on closing a stream whose session another node ended);
	 * {@link Duration#ZERO} for never
	 * @param metadataPolicy which of the application's metadata sessions keep
	 */
	public SessionGateCore(SessionRepository<? extends Session> repository, SessionLedger ledger, SessionLimits limits,
			Clock clock, StoreFailurePolicy storeFailurePolicy, Duration sweepInterval, Duration streamCheckInterval,
			MetadataPolicy metadataPolicy) {
		this.metadataPolicy = Objects.requireNonNull(metadataPolicy, "metadataPolicy cannot be null");
		this.repository = Objects.requireNonNull(repository, "repository cannot be null");
		this.ledger = Objects.requireNonNull(ledger, "ledger cannot be null");
		this.limits = Objects.requireNonNull(limits, "limits cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.storeFailurePolicy = Objects.requireNonNull(storeFailurePolicy, "storeFailurePolicy cannot be null");
		Objects.requireNonNull(sweepInterval, "sweepInterval cannot be null");
		this.capacity = new NodeCapacity(limits.maxActiveRequests());
		this.streamCapacity = new NodeCapacity(limits.maxActiveStreams());
		this.streamCheckInterval = Objects.requireNonNull(streamCheckInterval, "streamCheckInterval cannot be null");
		this.sweeper = startSweeper(sweepInterval);
		this.streamChecker = startStreamChecker(streamCheckInterval);
	}

	// ---- requests

	/**
	 * Records the application metadata a session keeps, when the gate's
	 * {@link MetadataPolicy} keeps any: the listed keys present in {@code metadata} whose
	 * value differs from what this node last recorded or saw for the session (so a
	 * request repeating its session's metadata writes nothing). A store failure is
	 * counted ({@code metadata}) and logged, never thrown.
	 * @param sessionId the session, or {@code null} (nothing to record)
	 * @param metadata the metadata of the request's context as the application left it
	 */
	public void recordMetadata(@Nullable String sessionId, Map<String, String> metadata) {
		if (sessionId == null || metadata.isEmpty() || !this.metadataPolicy.keepsAny()) {
			return;
		}
		Map<String, String> kept = this.metadataPolicy.apply(metadata);
		Map<String, String> known = this.recordedMetadata.getOrDefault(sessionId, Map.of());
		Map<String, String> changes = new LinkedHashMap<>();
		kept.forEach((key, value) -> {
			if (!value.equals(known.get(key))) {
				changes.put(key, value);
			}
		});
		if (changes.isEmpty()) {
			return;
		}
		try {
			if (this.ledger.recordMetadata(sessionId, changes)) {
				if (this.recordedMetadata.size() >= RECORDED_METADATA_MAX) {
					// a crude bound: forgetting costs one more write per session
					this.recordedMetadata.clear();
				}
				Map<String, String> now = new LinkedHashMap<>(known);
				now.putAll(changes);
				this.recordedMetadata.put(sessionId, now);
			}
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.RECORD_METADATA, ex);
		}
	}

	/**
	 * Admits (or not) a request of a session through the ledger.
	 * @param start the request and its session
	 * @return the ledger's decision, or {@link Admission.StoreUnavailable} when the store
	 * failed
	 */
	public Admission begin(RequestStart start) {
		try {
			return this.ledger.begin(start);
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.BEGIN, ex);
			return new Admission.StoreUnavailable();
		}
	}

	/**
	 * Opens the scope of the request on this thread, for a ledger that keeps per-request
	 * state ({@link RequestScopedLedger}); the outermost filter closes it when the
	 * request leaves.
	 * @return the scope ({@link RequestScopedLedger.Scope#NONE} for other ledgers)
	 */
	public RequestScopedLedger.Scope openRequestScope() {
		return (this.ledger instanceof RequestScopedLedger scoped) ? scoped.openRequestScope()
				: RequestScopedLedger.Scope.NONE;
	}

	/**
	 * Lets a ledger that loads sessions itself admit the request in the same round trip
	 * as the session's load ({@link RequestScopedLedger#admitOnLoad}); closed after the
	 * load.
	 * @param tenant the request's tenant
	 * @return the scope ({@link RequestScopedLedger.Scope#NONE} for other ledgers)
	 */
	public RequestScopedLedger.Scope admitOnLoad(@Nullable String tenant) {
		return (this.ledger instanceof RequestScopedLedger scoped) ? scoped.admitOnLoad(tenant, this.limits)
				: RequestScopedLedger.Scope.NONE;
	}

	/**
	 * Releases an admitted request's permit and records its outcome.
	 * @param permit the permit
	 * @param outcome how the request went
	 */
	public void end(Permit permit, RequestOutcome outcome) {
		try {
			this.ledger.end(permit, outcome);
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.END, ex);
		}
	}

	/**
	 * Records that a request was refused by a limit: counted once here, published once.
	 * @param limit the limit
	 * @param retryAfter the retry hint sent to the client
	 * @param sessionId the session, if any
	 * @param userId the user, if known
	 * @param clientIp the client's address
	 */
	public void rejected(Limit limit, Duration retryAfter, @Nullable String sessionId, @Nullable String userId,
			String clientIp) {
		this.rejections.incrementAndGet(limit.ordinal());
		this.events
			.publish(new RequestRejectedEvent(this.clock.instant(), limit, sessionId, userId, clientIp, retryAfter));
	}

	/**
	 * Publishes the end of a request that ran (not one answered by a rejection). The
	 * event is built only when someone listens: this runs on every request.
	 * @param sessionId the session, if any
	 * @param status the response status
	 * @param durationNanos the processing time
	 * @param failure the exception that ended the request, if any
	 */
	public void requestCompleted(@Nullable String sessionId, int status, long durationNanos,
			@Nullable Throwable failure) {
		if (this.events.hasListeners()) {
			this.events
				.publish(new RequestCompletedEvent(this.clock.instant(), sessionId, status, durationNanos, failure));
		}
	}

	// ---- streams

	/**
	 * Admits (or not) a stream of a session through the ledger.
	 * @param start the request and its session
	 * @return the ledger's decision, or {@link Admission.StoreUnavailable} when the store
	 * failed
	 */
	public Admission beginStream(RequestStart start) {
		try {
			return this.ledger.beginStream(start);
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.BEGIN, ex);
			return new Admission.StoreUnavailable();
		}
	}

	/**
	 * Registers an admitted stream on this node: from now on it is renewed, kept alive
	 * and closed when its session ends, until {@link OpenStream#release()}.
	 * @param permit the ledger's permit, {@code null} for a stream without a session
	 * @param idleTimeout the session's max inactive interval (its last access in the
	 * repository is renewed every third of it)
	 * @param closer closes the stream's HTTP response
	 * @return the open stream
	 */
	public OpenStream streamOpened(@Nullable Permit permit, Duration idleTimeout, Runnable closer) {
		// a session that never idles out (a negative max inactive interval) needs no
		// keep-alive in the repository
		long keepAliveNanos = (idleTimeout.isNegative() || idleTimeout.isZero()) ? Long.MAX_VALUE
				: idleTimeout.toNanos() / 3;
		OpenStream stream = new OpenStream(this, permit, keepAliveNanos, closer);
		this.openStreams.add(stream);
		if (permit != null) {
			// a session that ended between the admission and now would not see its end
			// close this stream: check once, now that it is registered
			renew(stream, permit);
		}
		return stream;
	}

	void streamReleased(OpenStream stream, long durationNanos) {
		this.openStreams.remove(stream);
		Permit permit = stream.permit();
		try {
			if (permit != null) {
				this.ledger.endStream(permit, durationNanos);
				if (!stream.isSessionEnded() && durationNanos >= FINAL_KEEP_ALIVE_NANOS) {
					// the request's own commit may just have saved the session with the
					// last access of the stream's start: write the stream's end over it
					keepAlive(stream, permit.sessionId(), true);
				}
			}
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.END, ex);
		}
		finally {
			this.streamCapacity.release();
		}
		if (this.events.hasListeners()) {
			this.events.publish(new StreamClosedEvent(this.clock.instant(),
					(permit != null) ? permit.sessionId() : null, durationNanos, stream.isSessionEnded()));
		}
	}

	/**
	 * Closes this node's open streams of a session that ended.
	 * @param sessionId the session
	 */
	private void closeStreamsOf(String sessionId) {
		for (OpenStream stream : this.openStreams) {
			Permit permit = stream.permit();
			if (permit != null && sessionId.equals(permit.sessionId())) {
				stream.sessionEnded();
			}
		}
	}

	/**
	 * Renews every stream open on this node: its lease and its session's last activity in
	 * the ledger and, every third of the idle timeout, the session's last access in the
	 * session repository. Streams whose session ended (on any node) are closed.
	 */
	public void renewStreams() {
		for (OpenStream stream : this.openStreams) {
			Permit permit = stream.permit();
			if (permit == null || stream.isSessionEnded() || stream.isReleased()) {
				continue;
			}
			if (renew(stream, permit)) {
				keepAlive(stream, permit.sessionId(), false);
			}
		}
	}

	/**
	 * Renews one stream in the ledger and closes it when its session ended.
	 * @return whether the session is live
	 */
	private boolean renew(OpenStream stream, Permit permit) {
		StreamRenewal renewal;
		try {
			renewal = this.ledger.renewStream(permit, this.limits);
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.RENEW_STREAM, ex);
			return false;
		}
		SessionStats endedNow = renewal.endedNow();
		if (endedNow != null) {
			sessionsEnded(List.of(endedNow), true);
		}
		else if (!renewal.live()) {
			stream.sessionEnded();
		}
		return renewal.live();
	}

	/**
	 * Renews the session's last access in the repository, so that neither the repository
	 * nor Spring Session expires a session whose stream is open.
	 */
	@SuppressWarnings("unchecked")
	private void keepAlive(OpenStream stream, String sessionId, boolean force) {
		long now = System.nanoTime();
		if (!force && !stream.keepAliveDue(now)) {
			return;
		}
		try {
			SessionRepository<Session> sessions = (SessionRepository<Session>) this.repository;
			Session session = sessions.findById(sessionId);
			if (session != null) {
				session.setLastAccessedTime(this.clock.instant());
				sessions.save(session);
			}
			stream.keptAlive(now);
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.RENEW_STREAM, ex);
		}
	}

	/**
	 * Closes every stream open on this node, as a server that stops should: its clients
	 * reconnect (to another node), and a graceful shutdown does not wait for streams that
	 * would never end by themselves. Their sessions live on.
	 */
	public void closeStreams() {
		for (OpenStream stream : this.openStreams) {
			stream.shutdown();
		}
	}

	/**
	 * Streams open on this node.
	 * @return the count
	 */
	public int activeStreams() {
		return this.streamCapacity.activeRequests();
	}

	/**
	 * The node's stream capacity ({@code limits.max-active-streams}).
	 * @return the capacity guard
	 */
	public NodeCapacity streamCapacity() {
		return this.streamCapacity;
	}

	/**
	 * How often open streams are renewed: the bound on closing a stream whose session
	 * another node ended.
	 * @return the interval
	 */
	public Duration streamCheckInterval() {
		return this.streamCheckInterval;
	}

	// ---- sessions

	/**
	 * Records that the ledger started tracking a session.
	 * @param sessionId the session id
	 * @param tenant its tenant
	 * @param clientIp the address of the request that created it
	 * @param userAgent that request's user agent
	 */
	public void sessionStarted(String sessionId, @Nullable String tenant, String clientIp, @Nullable String userAgent) {
		this.sessionsStarted.increment();
		this.events.publish(new SessionStartedEvent(this.clock.instant(), sessionId, tenant, clientIp, userAgent));
	}

	/**
	 * Binds a user to a live session under the sessions-per-user limit: the one routine
	 * behind the filter, {@code SessionGate#bindUser} and the Spring Security login hook.
	 * Sessions ended to make room are published and deleted; a refusal is counted and
	 * published as a rejection.
	 * @param sessionId the session (already tracked by the ledger)
	 * @param userId the user
	 * @param clientIp the client's address, for the rejection event
	 * @param origin the binding request's origin, recorded as the session's
	 * ({@link SessionOrigin#NONE} keeps the recorded one)
	 * @return the outcome; {@link BindResult.Outcome#UNKNOWN_SESSION} also when the store
	 * failed
	 */
	public BindResult.Outcome bindUser(String sessionId, String userId, String clientIp, SessionOrigin origin) {
		BindResult result;
		try {
			result = this.ledger.bindUser(sessionId, userId, this.limits, origin);
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.BIND, ex);
			return BindResult.Outcome.UNKNOWN_SESSION;
		}
		sessionsEnded(result.endedSessions(), true);
		if (result.outcome() == BindResult.Outcome.REJECTED) {
			rejected(Limit.SESSIONS_PER_USER, Duration.ZERO, sessionId, userId, clientIp);
		}
		else if (result.outcome() == BindResult.Outcome.BOUND) {
			this.events.publish(new UserBoundEvent(this.clock.instant(), sessionId, userId));
		}
		return result.outcome();
	}

	/**
	 * Moves a session's state, history and index to its new id after the id was rotated.
	 * @param oldId the previous id
	 * @param newId the new id
	 * @return {@code true} if the ledger knew the old id
	 */
	public boolean sessionIdChanged(String oldId, String newId) {
		try {
			return this.ledger.changeSessionId(oldId, newId);
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.CHANGE_SESSION_ID, ex);
			return false;
		}
	}

	/**
	 * Ends a live session: records status and reason, deletes it from the repository and
	 * publishes its end.
	 * @param sessionId the session id
	 * @param status the final status
	 * @param reason the end reason
	 * @return the final stats, or {@code null} if unknown or already ended
	 */
	public @Nullable SessionStats endSession(String sessionId, SessionStatus status, String reason) {
		SessionStats stats = this.ledger.endSession(sessionId, status, reason);
		if (stats != null) {
			sessionsEnded(List.of(stats), true);
		}
		return stats;
	}

	/**
	 * Ends a session the application invalidated ({@code HttpSession.invalidate()}, a
	 * logout): status {@code COMPLETED}, reason {@code invalidated}. Spring Session has
	 * deleted its data already, so nothing is deleted here.
	 * @param sessionId the session id
	 * @return the final stats, or {@code null} if unknown or already ended
	 */
	public @Nullable SessionStats sessionInvalidated(String sessionId) {
		SessionStats stats;
		try {
			stats = this.ledger.endSession(sessionId, SessionStatus.COMPLETED, INVALIDATED);
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.END_SESSION, ex);
			return null;
		}
		if (stats != null) {
			sessionsEnded(List.of(stats), false);
		}
		return stats;
	}

	/**
	 * Fails a session when the error-rate policy says so; called only after a failed
	 * request, so healthy traffic pays nothing for it.
	 * @param sessionId the session
	 * @return the final stats if this call ended the session (not yet published: the
	 * caller decides how the session's data goes, then calls {@link #sessionsEnded})
	 */
	public @Nullable SessionStats failIfErrorRateExceeded(String sessionId) {
		ErrorRatePolicy policy = this.limits.errorRatePolicy();
		if (policy == null) {
			return null;
		}
		try {
			SessionStats stats = this.ledger.find(sessionId);
			if (stats == null || stats.status() != SessionStatus.ACTIVE
					|| !policy.isViolatedBy(stats.completedRequests(), stats.errorCount())) {
				return null;
			}
			return this.ledger.endSession(sessionId, SessionStatus.FAILED, "error-rate");
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.ERROR_RATE, ex);
			return null;
		}
	}

	/**
	 * Publishes the end of sessions the ledger ended and, when asked, deletes them from
	 * the session repository. Every end goes through here exactly once.
	 * @param ended the final stats
	 * @param deleteFromRepository whether to delete the sessions' data
	 */
	public void sessionsEnded(List<SessionStats> ended, boolean deleteFromRepository) {
		for (SessionStats stats : ended) {
			if (deleteFromRepository) {
				deleteFromRepository(stats.sessionId());
				// a request of this session may still be between its ledger end and
				// Spring Session's commit, which would save the session again: delete
				// once more later
				this.pendingDeletes.add(stats.sessionId());
			}
			this.sessionsEnded.incrementAndGet(stats.status().ordinal());
			closeStreamsOf(stats.sessionId());
			this.events.publish(new SessionEndedEvent(this.clock.instant(), stats));
		}
	}

	/**
	 * Records that a request presented a session id of another tenant (the id was
	 * ignored).
	 * @param sessionId the presented id
	 * @param tenant the request's tenant
	 * @param clientIp the client's address
	 */
	public void tenantMismatch(String sessionId, @Nullable String tenant, String clientIp) {
		this.tenantMismatches.incrementAndGet();
		logger.debug("Ignored session {} presented under tenant {}", SessionIds.shortForm(sessionId), tenant);
		this.events.publish(new TenantMismatchEvent(this.clock.instant(), sessionId, tenant, clientIp));
	}

	/**
	 * Runs one sweep now: ends idle and over-age sessions (publishing their events and
	 * deleting them from the session repository) and forgets expired history.
	 * @return the sessions this sweep ended
	 */
	public List<SessionStats> sweep() {
		List<SessionStats> ended = this.ledger.sweep(this.limits);
		sessionsEnded(ended, true);
		Instant settled = this.clock.instant().minus(RESAVE_GRACE);
		for (String sessionId : this.pendingDeletes) {
			SessionStats stats = this.ledger.find(sessionId);
			if (stats == null) {
				// forgotten by this very sweep: one last delete
				deleteFromRepository(sessionId);
				this.pendingDeletes.remove(sessionId);
				continue;
			}
			if (stats.activeRequests() == 0) {
				deleteFromRepository(sessionId);
				Instant endedAt = stats.endedAt();
				if (endedAt != null && endedAt.isBefore(settled)) {
					this.pendingDeletes.remove(sessionId);
				}
			}
		}
		return ended;
	}

	private void deleteFromRepository(String sessionId) {
		try {
			this.repository.deleteById(sessionId);
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.DELETE, ex);
		}
	}

	/**
	 * Records that the store failed: counted by operation, logged once per burst (then at
	 * most once a minute), published as an event.
	 * @param operation the failed operation
	 * @param error the failure
	 */
	public void storeFailed(StoreOperation operation, RuntimeException error) {
		this.storeErrors.incrementAndGet(operation.ordinal());
		long now = System.nanoTime();
		long previous = this.lastStoreFailureNanos.getAndSet(now);
		long logged = this.lastStoreFailureLogNanos.get();
		boolean newBurst = previous == 0 || now - previous > STORE_FAILURE_QUIET_NANOS;
		if ((newBurst || now - logged > STORE_FAILURE_LOG_INTERVAL_NANOS)
				&& this.lastStoreFailureLogNanos.compareAndSet(logged, now)) {
			long unlogged = this.unloggedStoreFailures.getAndSet(0);
			logger.warn(
					"SessionGate store operation '{}' failed (store-failure policy {}); {} more failure(s) since "
							+ "the last warning; further failures are counted in sessiongate.store.errors",
					operation.tag(), this.storeFailurePolicy, unlogged, error);
		}
		else {
			this.unloggedStoreFailures.incrementAndGet();
			logger.debug("SessionGate store operation '{}' failed", operation.tag(), error);
		}
		this.events.publish(new StoreFailureEvent(this.clock.instant(), operation.tag(), error));
	}

	// ---- node-local counts

	/**
	 * Requests this node refused by a limit since it started.
	 * @param limit the limit
	 * @return the count
	 */
	public long rejections(Limit limit) {
		return this.rejections.get(limit.ordinal());
	}

	/**
	 * Sessions this node started tracking since it started.
	 * @return the count
	 */
	public long sessionsStarted() {
		return this.sessionsStarted.sum();
	}

	/**
	 * Sessions whose end this node observed and published since it started.
	 * @param status the final status
	 * @return the count
	 */
	public long sessionsEnded(SessionStatus status) {
		return this.sessionsEnded.get(status.ordinal());
	}

	/**
	 * Failed calls of one store operation on this node since it started.
	 * @param operation the operation
	 * @return the count
	 */
	public long storeErrors(StoreOperation operation) {
		return this.storeErrors.get(operation.ordinal());
	}

	/**
	 * Requests on this node that presented another tenant's session id.
	 * @return the count
	 */
	public long tenantMismatches() {
		return this.tenantMismatches.get();
	}

	/**
	 * Requests in progress on this node.
	 * @return the count
	 */
	public int activeRequests() {
		return this.capacity.activeRequests();
	}

	// ---- collaborators

	public NodeCapacity capacity() {
		return this.capacity;
	}

	public SessionGateEvents events() {
		return this.events;
	}

	public SessionLedger ledger() {
		return this.ledger;
	}

	public SessionLimits limits() {
		return this.limits;
	}

	public Clock clock() {
		return this.clock;
	}

	public StoreFailurePolicy storeFailurePolicy() {
		return this.storeFailurePolicy;
	}

	/**
	 * Stops the sweeper and closes the ledger.
	 */
	@Override
	public void close() {
		if (this.sweeper != null) {
			this.sweeper.shutdownNow();
		}
		if (this.streamChecker != null) {
			this.streamChecker.shutdownNow();
		}
		this.ledger.close();
	}

	private @Nullable ScheduledExecutorService startSweeper(Duration interval) {
		if (interval.isZero()) {
			return null;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "sessiongate-sweeper");
			thread.setDaemon(true);
			return thread;
		});
		long millis = interval.toMillis();
		executor.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
		return executor;
	}

	private @Nullable ScheduledExecutorService startStreamChecker(Duration interval) {
		if (interval.isZero()) {
			return null;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "sessiongate-streams");
			thread.setDaemon(true);
			return thread;
		});
		long millis = interval.toMillis();
		executor.scheduleWithFixedDelay(this::renewStreamsQuietly, millis, millis, TimeUnit.MILLISECONDS);
		return executor;
	}

	private void renewStreamsQuietly() {
		try {
			renewStreams();
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.RENEW_STREAM, ex);
		}
	}

	private void sweepQuietly() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			storeFailed(StoreOperation.SWEEP, ex);
		}
	}

}
