package io.github.sessiongate.ledger;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import io.github.sessiongate.limit.TokenBucket;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionLedger} that keeps state in this JVM's memory, for single-node apps.
 *
 * <p>
 * Each session is one small record in a {@link ConcurrentHashMap}; its counters are
 * updated with atomic instructions on the record's own fields (compare-and-set for the
 * concurrency limit), so {@link #begin} and {@link #end} are O(1), take no lock shared
 * between sessions, and never hold a lock while the application runs. The per-user index
 * is updated under the user's map bin only (binds of one user are serialized, binds of
 * different users are not). Nothing is kept forever: {@link #sweep} ends idle and
 * over-age sessions and forgets ended ones after the history retention.
 *
 * @author SessionGate team
 */
public final class InMemorySessionLedger implements SessionLedger {

	/** Default time ended sessions stay readable. */
	public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofMinutes(30);

	private static final String NO_TENANT = "";

	private final ConcurrentHashMap<String, Entry> sessions = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Set<String>> sessionsByUser = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, AtomicLong> liveByTenant = new ConcurrentHashMap<>();

	private final AtomicLong live = new AtomicLong();

	private final Clock clock;

	private final Duration historyRetention;

	/**
	 * Creates a ledger with the system clock and the default history retention.
	 */
	public InMemorySessionLedger() {
		this(Clock.systemUTC(), DEFAULT_HISTORY_RETENTION);
	}

	/**
	 * Creates a ledger.
	 * @param clock the clock for timestamps, timeouts and the rate limiter
	 * @param historyRetention how long ended sessions stay readable
	 */
	public InMemorySessionLedger(Clock clock, Duration historyRetention) {
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		Objects.requireNonNull(historyRetention, "historyRetention cannot be null");
		if (historyRetention.isNegative()) {
			throw new IllegalArgumentException("historyRetention must not be negative, was " + historyRetention);
		}
		this.historyRetention = historyRetention;
	}

	@Override
	public Admission begin(RequestStart start) {
		return begin(start, false);
	}

	private Admission begin(RequestStart start, boolean stream) {
		SessionLimits limits = start.limits();
		long now = nowNanos();
		Entry entry = this.sessions.get(start.sessionId());
		boolean created = false;
		if (entry == null) {
			AtomicLong tenantLive = this.liveByTenant.computeIfAbsent(tenantKey(start.tenant()),
					(k) -> new AtomicLong());
			if (!tryIncrement(tenantLive, limits.maxSessions())) {
				return new Admission.Rejected(Limit.MAX_SESSIONS, limits.retryAfter());
			}
			Entry fresh = new Entry(start.sessionId(), start.tenant(), toNanos(start.creationTime()), now,
					start.idleTimeout().toNanos(), start.origin());
			entry = this.sessions.putIfAbsent(start.sessionId(), fresh);
			if (entry == null) {
				entry = fresh;
				created = true;
				this.live.incrementAndGet();
			}
			else {
				tenantLive.decrementAndGet();
			}
		}
		if (!Objects.equals(entry.tenant, start.tenant())) {
			return new Admission.ForeignTenant();
		}
		if (entry.ending != null) {
			return new Admission.Ended(entry.snapshot(), false);
		}
		entry.idleTimeoutNanos = start.idleTimeout().toNanos();
		Duration absoluteTimeout = limits.absoluteTimeout();
		if (absoluteTimeout != null && now - entry.createdAt >= absoluteTimeout.toNanos()) {
			boolean endedNow = endEntry(entry, SessionStatus.EXPIRED, "absolute-timeout", now);
			return new Admission.Ended(entry.snapshot(), endedNow);
		}
		boolean acquired = stream ? entry.tryOpenStream(limits.maxStreamsPerSession())
				: entry.tryAcquire(limits.maxConcurrentRequestsPerSession());
		if (!acquired) {
			entry.reject(now);
			return new Admission.Rejected(stream ? Limit.SESSION_STREAMS : Limit.SESSION_CONCURRENCY,
					limits.retryAfter());
		}
		RateLimit rate = limits.rate();
		long remaining = -1;
		if (rate != null) {
			long waitNanos = entry.tryConsumeToken(rate, now);
			remaining = entry.wholeTokens();
			if (waitNanos > 0) {
				entry.release(stream);
				entry.reject(now);
				return new Admission.Rejected(Limit.RATE, ceilSeconds(waitNanos));
			}
		}
		if (entry.ending != null) {
			// ended while we took the permit: give it back, the request is not served
			entry.release(stream);
			return new Admission.Ended(entry.snapshot(), false);
		}
		if (stream) {
			entry.streamOpened(now);
		}
		else {
			entry.admit(now);
		}
		return new Admission.Admitted(entry, entry.userId, created, remaining);
	}

	@Override
	public Admission beginStream(RequestStart start) {
		return begin(start, true);
	}

	@Override
	public void endStream(Permit permit, long durationNanos) {
		entryOf(permit).streamClosed(nowNanos());
	}

	@Override
	public StreamRenewal renewStream(Permit permit, SessionLimits limits) {
		Entry entry = entryOf(permit);
		if (entry.ending != null) {
			return StreamRenewal.ENDED;
		}
		long now = nowNanos();
		Duration absoluteTimeout = limits.absoluteTimeout();
		if (absoluteTimeout != null && now - entry.createdAt >= absoluteTimeout.toNanos()) {
			return endEntry(entry, SessionStatus.EXPIRED, "absolute-timeout", now)
					? new StreamRenewal(false, entry.snapshot()) : StreamRenewal.ENDED;
		}
		entry.touch(now);
		return (entry.ending == null) ? StreamRenewal.LIVE : StreamRenewal.ENDED;
	}

	private static Entry entryOf(Permit permit) {
		if (!(permit instanceof Entry entry)) {
			throw new IllegalArgumentException("permit was not issued by this ledger: " + permit);
		}
		return entry;
	}

	@Override
	public void end(Permit permit, RequestOutcome outcome) {
		if (!(permit instanceof Entry entry)) {
			throw new IllegalArgumentException("permit was not issued by this ledger: " + permit);
		}
		entry.finish(outcome, nowNanos());
	}

	@Override
	public @Nullable SessionStats find(String sessionId) {
		Entry entry = this.sessions.get(sessionId);
		return (entry != null) ? entry.snapshot() : null;
	}

	@Override
	public List<SessionStats> findByUser(String userId) {
		Set<String> ids = this.sessionsByUser.get(userId);
		if (ids == null) {
			return List.of();
		}
		List<SessionStats> result = new ArrayList<>(ids.size());
		for (String id : ids) {
			Entry entry = this.sessions.get(id);
			if (entry != null && userId.equals(entry.userId)) {
				result.add(entry.snapshot());
			}
		}
		result.sort(Comparator.comparing(SessionStats::lastActivity).reversed());
		return result;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Digests the ids of the sessions held (live and in history) until one matches: no
	 * memory per session and nothing on the request path, about a microsecond per session
	 * held for each lookup.
	 */
	@Override
	public @Nullable SessionStats findByReference(String reference) {
		Objects.requireNonNull(reference, "reference cannot be null");
		Entry match = null;
		for (Entry entry : this.sessions.values()) {
			if (reference.equals(SessionIds.shortForm(entry.sessionId))) {
				if (match != null && match != entry) {
					return null; // two sessions share a reference: neither is answered
				}
				match = entry;
			}
		}
		return (match != null) ? match.snapshot() : null;
	}

	@Override
	public List<SessionStats> findByStatus(SessionStatus status, int max) {
		Objects.requireNonNull(status, "status cannot be null");
		List<SessionStats> result = new ArrayList<>();
		for (Entry entry : this.sessions.values()) {
			if (entry.status() == status) {
				result.add(entry.snapshot());
			}
		}
		result.sort(Comparator.comparing(SessionStats::lastActivity).reversed());
		return (result.size() > max) ? List.copyOf(result.subList(0, max)) : result;
	}

	@Override
	public @Nullable SessionStats endSession(String sessionId, SessionStatus status, String reason) {
		requireEndStatus(status);
		Objects.requireNonNull(reason, "reason cannot be null");
		Entry entry = this.sessions.get(sessionId);
		if (entry == null || !endEntry(entry, status, reason, nowNanos())) {
			return null;
		}
		return entry.snapshot();
	}

	@Override
	public boolean recordMetadata(String sessionId, Map<String, String> changes) {
		MetadataPolicy.requireWithinBounds(changes);
		Entry entry = this.sessions.get(sessionId);
		if (entry == null || entry.ending != null) {
			return false;
		}
		// the record's own short lock (the rate bucket's), so that writers merge in turn
		synchronized (entry) {
			Map<String, String> merged = new LinkedHashMap<>(entry.metadata);
			changes.forEach((key, value) -> {
				if (value.isEmpty()) {
					merged.remove(key);
				}
				else {
					merged.put(key, value);
				}
			});
			if (merged.size() > MetadataPolicy.MAX_KEYS) {
				throw new IllegalArgumentException("at most " + MetadataPolicy.MAX_KEYS
						+ " metadata entries can be kept, the session would keep " + merged.size());
			}
			entry.metadata = merged.isEmpty() ? Map.of() : Collections.unmodifiableMap(merged);
		}
		return true;
	}

	@Override
	public BindResult bindUser(String sessionId, String userId, SessionLimits limits, SessionOrigin origin) {
		Objects.requireNonNull(userId, "userId cannot be null");
		Objects.requireNonNull(origin, "origin cannot be null");
		Entry entry = this.sessions.get(sessionId);
		if (entry == null || entry.ending != null) {
			return BindResult.of(BindResult.Outcome.UNKNOWN_SESSION);
		}
		if (userId.equals(entry.userId)) {
			entry.loggedInFrom(origin);
			return BindResult.of(BindResult.Outcome.ALREADY_BOUND);
		}
		String previousUser = entry.userId;
		List<SessionStats> ended = new ArrayList<>();
		BindResult.Outcome[] outcome = new BindResult.Outcome[1];
		long now = nowNanos();
		// compute() holds the user's bin: binds of one user run one at a time, so
		// counting the
		// live sessions and adding this one is a single atomic step
		this.sessionsByUser.compute(userId, (key, ids) -> {
			Set<String> userIds = (ids != null) ? ids : ConcurrentHashMap.newKeySet();
			int max = limits.maxSessionsPerUser();
			if (max > 0) {
				List<Entry> liveEntries = liveSessionsOf(userId, userIds, entry);
				if (liveEntries.size() >= max) {
					if (limits.sessionsPerUserPolicy() == SessionsPerUserPolicy.REJECT_NEW) {
						outcome[0] = BindResult.Outcome.REJECTED;
						return (ids != null) ? ids : null;
					}
					liveEntries.sort(Comparator.comparingLong((Entry e) -> e.lastActivity));
					for (int i = 0; i <= liveEntries.size() - max; i++) {
						Entry oldest = liveEntries.get(i);
						if (endEntry(oldest, SessionStatus.COMPLETED, "session-limit", now)) {
							ended.add(oldest.snapshot());
						}
					}
				}
			}
			if (entry.ending != null) {
				outcome[0] = BindResult.Outcome.UNKNOWN_SESSION;
				return (ids != null) ? ids : null;
			}
			userIds.add(entry.sessionId);
			entry.userId = userId;
			entry.loggedInFrom(origin);
			outcome[0] = BindResult.Outcome.BOUND;
			return userIds;
		});
		if (outcome[0] == BindResult.Outcome.BOUND && previousUser != null) {
			this.sessionsByUser.computeIfPresent(previousUser, (key, ids) -> {
				ids.remove(entry.sessionId);
				return ids.isEmpty() ? null : ids;
			});
		}
		return new BindResult(outcome[0], ended);
	}

	private List<Entry> liveSessionsOf(String userId, Set<String> ids, Entry except) {
		List<Entry> result = new ArrayList<>();
		for (String id : ids) {
			Entry other = this.sessions.get(id);
			if (other != null && other != except && other.ending == null && userId.equals(other.userId)) {
				result.add(other);
			}
		}
		return result;
	}

	@Override
	public boolean changeSessionId(String oldId, String newId) {
		Objects.requireNonNull(newId, "newId cannot be null");
		Entry entry = this.sessions.get(oldId);
		if (entry == null) {
			return false;
		}
		String userId = entry.userId;
		if (userId != null) {
			// under the user's bin, so a concurrent bind of the same user sees either id,
			// never none
			this.sessionsByUser.computeIfPresent(userId, (key, ids) -> {
				moveEntry(entry, oldId, newId);
				ids.remove(oldId);
				ids.add(newId);
				return ids;
			});
		}
		if (entry.sessionId.equals(oldId)) {
			moveEntry(entry, oldId, newId);
		}
		return true;
	}

	private void moveEntry(Entry entry, String oldId, String newId) {
		entry.sessionId = newId;
		this.sessions.put(newId, entry);
		this.sessions.remove(oldId, entry);
	}

	@Override
	public List<SessionStats> sweep(SessionLimits limits) {
		long now = nowNanos();
		Duration absoluteTimeout = limits.absoluteTimeout();
		long absoluteNanos = (absoluteTimeout != null) ? absoluteTimeout.toNanos() : Long.MAX_VALUE;
		long retentionNanos = this.historyRetention.toNanos();
		List<SessionStats> ended = new ArrayList<>();
		for (Entry entry : this.sessions.values()) {
			Ending ending = entry.ending;
			if (ending == null) {
				if (now - entry.createdAt >= absoluteNanos) {
					if (endEntry(entry, SessionStatus.EXPIRED, "absolute-timeout", now)) {
						ended.add(entry.snapshot());
					}
				}
				else if (entry.active == 0 && entry.streams == 0 && now - entry.lastActivity > entry.idleTimeoutNanos) {
					if (endEntry(entry, SessionStatus.EXPIRED, "idle-timeout", now)) {
						ended.add(entry.snapshot());
					}
				}
			}
			else if (now - ending.at >= retentionNanos && entry.active == 0 && entry.streams == 0) {
				forget(entry);
			}
		}
		return ended;
	}

	private void forget(Entry entry) {
		this.sessions.remove(entry.sessionId, entry);
		String userId = entry.userId;
		if (userId != null) {
			this.sessionsByUser.computeIfPresent(userId, (key, ids) -> {
				ids.remove(entry.sessionId);
				return ids.isEmpty() ? null : ids;
			});
		}
	}

	@Override
	public boolean belongsToTenant(String sessionId, @Nullable String tenant) {
		Entry entry = this.sessions.get(sessionId);
		return entry == null || Objects.equals(entry.tenant, tenant);
	}

	@Override
	public long activeSessions() {
		return this.live.get();
	}

	/**
	 * The number of session records held, live and in history (for tests and sizing).
	 * @return the record count
	 */
	public int size() {
		return this.sessions.size();
	}

	/**
	 * The number of users in the user index (for tests and sizing).
	 * @return the indexed users
	 */
	public int indexedUsers() {
		return this.sessionsByUser.size();
	}

	private boolean endEntry(Entry entry, SessionStatus status, String reason, long now) {
		if (!entry.tryEnd(new Ending(status, reason, now))) {
			return false;
		}
		this.live.decrementAndGet();
		AtomicLong tenantLive = this.liveByTenant.get(tenantKey(entry.tenant));
		if (tenantLive != null) {
			tenantLive.decrementAndGet();
		}
		return true;
	}

	private long nowNanos() {
		return toNanos(this.clock.instant());
	}

	private static long toNanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

	private static Instant toInstant(long nanos) {
		return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
	}

	private static String tenantKey(@Nullable String tenant) {
		return (tenant != null) ? tenant : NO_TENANT;
	}

	private static boolean tryIncrement(AtomicLong counter, long max) {
		if (max <= 0) {
			counter.incrementAndGet();
			return true;
		}
		while (true) {
			long current = counter.get();
			if (current >= max) {
				return false;
			}
			if (counter.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	private static Duration ceilSeconds(long nanos) {
		return Duration.ofSeconds((nanos + 999_999_999L) / 1_000_000_000L);
	}

	private static void requireEndStatus(SessionStatus status) {
		Objects.requireNonNull(status, "status cannot be null");
		if (!status.isEnded()) {
			throw new IllegalArgumentException("a session cannot be ended with status " + status);
		}
	}

	private record Ending(SessionStatus status, String reason, long at) {
	}

	/**
	 * One session's state. Counters are plain fields updated through VarHandles (atomic
	 * without an object per counter), which keeps an idle session small.
	 */
	private static final class Entry implements Permit {

		private static final VarHandle ACTIVE;

		private static final VarHandle REQUESTS;

		private static final VarHandle ERRORS;

		private static final VarHandle REJECTIONS;

		private static final VarHandle TOTAL_NANOS;

		private static final VarHandle MAX_NANOS;

		private static final VarHandle ENDING;

		private static final VarHandle STREAMS;

		private static final VarHandle STREAM_COUNT;

		static {
			try {
				MethodHandles.Lookup lookup = MethodHandles.lookup();
				ACTIVE = lookup.findVarHandle(Entry.class, "active", int.class);
				REQUESTS = lookup.findVarHandle(Entry.class, "requests", long.class);
				ERRORS = lookup.findVarHandle(Entry.class, "errors", long.class);
				REJECTIONS = lookup.findVarHandle(Entry.class, "rejections", long.class);
				TOTAL_NANOS = lookup.findVarHandle(Entry.class, "totalNanos", long.class);
				MAX_NANOS = lookup.findVarHandle(Entry.class, "maxNanos", long.class);
				ENDING = lookup.findVarHandle(Entry.class, "ending", Ending.class);
				STREAMS = lookup.findVarHandle(Entry.class, "streams", int.class);
				STREAM_COUNT = lookup.findVarHandle(Entry.class, "streamCount", long.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		volatile String sessionId;

		final @Nullable String tenant;

		volatile @Nullable String userId;

		final long createdAt;

		volatile long idleTimeoutNanos;

		volatile long lastActivity;

		volatile int active;

		volatile long requests;

		volatile long errors;

		volatile long rejections;

		volatile long totalNanos;

		volatile long maxNanos;

		volatile @Nullable Ending ending;

		volatile SessionOrigin origin;

		volatile int streams;

		volatile long streamCount;

		volatile Map<String, String> metadata = Map.of();

		// token bucket, guarded by this
		private double tokens = -1;

		private long refilledAt;

		Entry(String sessionId, @Nullable String tenant, long createdAt, long now, long idleTimeoutNanos,
				SessionOrigin origin) {
			this.sessionId = sessionId;
			this.origin = origin;
			this.tenant = tenant;
			this.createdAt = createdAt;
			this.lastActivity = now;
			this.idleTimeoutNanos = idleTimeoutNanos;
		}

		@Override
		public String sessionId() {
			return this.sessionId;
		}

		boolean tryAcquire(int max) {
			if (max <= 0) {
				ACTIVE.getAndAdd(this, 1);
				return true;
			}
			while (true) {
				int current = this.active;
				if (current >= max) {
					return false;
				}
				if (ACTIVE.compareAndSet(this, current, current + 1)) {
					return true;
				}
			}
		}

		void release() {
			ACTIVE.getAndAdd(this, -1);
		}

		boolean tryOpenStream(int max) {
			if (max <= 0) {
				STREAMS.getAndAdd(this, 1);
				return true;
			}
			while (true) {
				int current = this.streams;
				if (current >= max) {
					return false;
				}
				if (STREAMS.compareAndSet(this, current, current + 1)) {
					return true;
				}
			}
		}

		void release(boolean stream) {
			if (stream) {
				STREAMS.getAndAdd(this, -1);
			}
			else {
				release();
			}
		}

		void streamOpened(long now) {
			STREAM_COUNT.getAndAdd(this, 1L);
			touch(now);
		}

		void streamClosed(long now) {
			touch(now);
			STREAMS.getAndAdd(this, -1);
		}

		/** Last activity only moves forward. */
		void touch(long now) {
			long last = this.lastActivity;
			if (now > last) {
				this.lastActivity = now;
			}
		}

		/** A login replaces the origin with its own, when it knows one. */
		void loggedInFrom(SessionOrigin login) {
			if (!login.isEmpty()) {
				this.origin = login;
			}
		}

		/**
		 * Takes one token.
		 * @return 0 if a token was taken, else nanoseconds until one is available
		 */
		synchronized long tryConsumeToken(RateLimit rate, long now) {
			TokenBucket.Take take = TokenBucket.take(this.tokens, now - this.refilledAt, rate.capacity(),
					rate.refillPeriod().toNanos());
			this.tokens = take.tokensLeft();
			this.refilledAt = now;
			return take.waitTime();
		}

		synchronized long wholeTokens() {
			return (long) Math.floor(this.tokens);
		}

		void admit(long now) {
			REQUESTS.getAndAdd(this, 1L);
			this.lastActivity = now;
		}

		void reject(long now) {
			REJECTIONS.getAndAdd(this, 1L);
			this.lastActivity = now;
		}

		void finish(RequestOutcome outcome, long now) {
			long duration = outcome.durationNanos();
			TOTAL_NANOS.getAndAdd(this, duration);
			long max = this.maxNanos;
			while (duration > max && !MAX_NANOS.compareAndSet(this, max, duration)) {
				max = this.maxNanos;
			}
			if (outcome.error()) {
				ERRORS.getAndAdd(this, 1L);
			}
			this.lastActivity = now;
			ACTIVE.getAndAdd(this, -1);
		}

		boolean tryEnd(Ending ending) {
			return ENDING.compareAndSet(this, null, ending);
		}

		SessionStatus status() {
			Ending current = this.ending;
			return (current != null) ? current.status() : SessionStatus.ACTIVE;
		}

		SessionStats snapshot() {
			Ending current = this.ending;
			return new SessionStats(this.sessionId, this.tenant, this.userId,
					(current != null) ? current.status() : SessionStatus.ACTIVE,
					(current != null) ? current.reason() : null, toInstant(this.createdAt),
					toInstant(this.lastActivity), (current != null) ? toInstant(current.at()) : null, this.active,
					this.requests, this.errors, this.rejections, Duration.ofNanos(this.totalNanos),
					Duration.ofNanos(this.maxNanos), this.origin, this.streams, this.streamCount, this.metadata);
		}

		@Override
		public String toString() {
			return "Permit[" + io.github.sessiongate.SessionIds.shortForm(this.sessionId) + "]";
		}

	}

}
