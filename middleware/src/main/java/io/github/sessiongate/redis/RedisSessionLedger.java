package io.github.sessiongate.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.MetadataPolicy;
import io.github.sessiongate.ledger.SessionOrigin;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.Permit;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestScopedLedger;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.ledger.StreamRenewal;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.store.StoreCircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A {@link SessionLedger} that keeps its state in Redis, so several app nodes share one
 * set of sessions, counters and limits. Works with standalone Redis and Redis Cluster
 * through a Spring Data Redis {@link RedisConnectionFactory} (what Spring Boot provides).
 *
 * <p>
 * This class is a facade over one class per concern: admissions and leases, request ends,
 * the session index and sweep, the user index, id changes, and the connection; every
 * script has one typed entry point ({@code RedisScripts}).
 *
 * <p>
 * Every request costs two round trips: one Lua script at request start (create or touch
 * the record, check tenant, ended status and absolute timeout, take a concurrency lease,
 * take a rate token) and one at request end (release the lease, record duration and
 * error). The first request of a session adds one more, to index it in one of 16 index
 * shards (and one more with a limit on all sessions, to count it in its tenant). Scripts
 * run with {@code EVALSHA}; scripts read the clock from Redis {@code TIME}; every key has
 * a TTL; every key carries a hash tag so each script touches one cluster slot, and no
 * slot is written by every session start and end.
 *
 * <p>
 * With {@link SessionGateRedisSessionRepository} built on this ledger, sessions are
 * stored next to their records and the two scripts also load and save the session: the
 * gate opens an admission scope ({@link RequestScopedLedger}) before it loads a request's
 * session, the load admits the request in the same script, and the end of the request
 * writes the session's changes; a request then costs two round trips in all.
 *
 * <p>
 * Permits are leases that expire after {@link Builder#leaseTime(Duration) the lease time}
 * (renewed while the request runs), so permits of a node that died heal by themselves;
 * {@link #close()} frees this node's permits at once. A request-start script that Redis
 * runs after the node stopped waiting for it (Redis stalled past the command timeout)
 * takes no permit: it carries a deadline in Redis time, and the node frees the lease of
 * every request whose start or end failed once Redis answers again.
 *
 * <p>
 * Every Redis call goes through a {@link StoreCircuitBreaker}: after a connection failure
 * or timeout, calls fail at once (with a
 * {@link io.github.sessiongate.store.StoreUnavailableException}) until a probe finds
 * Redis again. A failed call surfaces as that exception or the Spring Data Redis
 * exception it raised, so the gate's store-failure policy decides what the request gets.
 * Share {@link #circuitBreaker()} with the session repository
 * ({@link io.github.sessiongate.store.GuardedSessionRepository}). <pre>{@code
 * LettuceConnectionFactory redis = RedisSessionLedger.connectionFactory("redis://localhost:6379", Duration.ofMillis(500));
 * RedisSessionLedger ledger = RedisSessionLedger.builder(redis).keyPrefix("myapp:").build();
 * SessionRepository<?> sessions = GuardedSessionRepository.of(new RedisSessionRepository(template),
 *         ledger.circuitBreaker(), StoreFailurePolicy.ALLOW);
 * SessionGate gate = SessionGate.builder(sessions).ledger(ledger).build();
 * }</pre>
 *
 * @author SessionGate team
 */
public final class RedisSessionLedger implements SessionLedger, RequestScopedLedger {

	/** Default key prefix. */
	public static final String DEFAULT_KEY_PREFIX = "sessiongate:";

	/** Default lease time of a permit (renewed while its request runs). */
	public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

	/** Default time ended sessions stay readable. */
	public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofMinutes(30);

	/** Default bound on one Redis call, for ledgers that create their own connection. */
	public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);

	/**
	 * The least time a live record outlives its idle timeout, so that a sweep (of any
	 * node) ends it, with an event and a history record, before its TTL would.
	 */
	private static final Duration MIN_SWEEP_GRACE = Duration.ofMinutes(10);

	private static final int TENANT_CACHE_SIZE = 100_000;

	private final Map<String, String> tenants = new ConcurrentHashMap<>();

	private final RedisStore store;

	private final RedisScripts scripts;

	private final Leases leases;

	private final RequestScopes scopes;

	private final Admissions admissions;

	private final RequestEnds ends;

	private final SessionIndex sessions;

	private final UserIndex users;

	private final SessionIdChanges idChanges;

	private final StreamLeases streams;

	private RedisSessionLedger(Builder builder) {
		LettuceConnectionFactory owned = (builder.uri != null)
				? RedisStore.connectionFactory(builder.uri, builder.commandTimeout) : null;
		RedisConnectionFactory connectionFactory = (owned != null) ? owned
				: Objects.requireNonNull(builder.connectionFactory);
		this.store = new RedisStore(connectionFactory, owned,
				(builder.circuitBreaker != null) ? builder.circuitBreaker : StoreCircuitBreaker.of("redis"));
		this.scripts = new RedisScripts(this.store, new RedisKeys(builder.keyPrefix));
		long retention = builder.historyRetention.toMillis();
		Duration byInterval = builder.sweepInterval.multipliedBy(4);
		long sweepGrace = ((byInterval.compareTo(MIN_SWEEP_GRACE) > 0) ? byInterval : MIN_SWEEP_GRACE).toMillis();
		this.leases = new Leases(this.scripts, builder.leaseTime);
		this.scopes = new RequestScopes(this.leases);
		this.sessions = new SessionIndex(this.scripts, retention, sweepGrace);
		this.users = new UserIndex(this.scripts, this.sessions, retention);
		this.admissions = new Admissions(this.scripts, this.leases, this.scopes, this.sessions, retention,
				retention + sweepGrace, admissionTimeout(builder, connectionFactory));
		this.ends = new RequestEnds(this.scripts, this.leases, this.scopes, retention + sweepGrace);
		this.idChanges = new SessionIdChanges(this.scripts, this.leases, this.sessions, this.users);
		this.streams = new StreamLeases(this.scripts, this.admissions, this.ends, this.sessions,
				builder.leaseTime.toMillis(), retention + sweepGrace);
		this.store.connectInBackground();
	}

	private static long admissionTimeout(Builder builder, RedisConnectionFactory connectionFactory) {
		if (builder.admissionTimeout != null) {
			return builder.admissionTimeout.toMillis();
		}
		if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
			Duration timeout = lettuce.getClientConfiguration().getCommandTimeout();
			return (timeout != null && !timeout.isNegative()) ? timeout.toMillis() : 0;
		}
		return 0;
	}

	/**
	 * Starts building a ledger on a connection factory the application manages (and
	 * closes). Bound its calls with the factory's command timeout.
	 * @param connectionFactory the connection factory (standalone, Sentinel or Cluster)
	 * @return a builder
	 */
	public static Builder builder(RedisConnectionFactory connectionFactory) {
		return new Builder(Objects.requireNonNull(connectionFactory, "connectionFactory cannot be null"), null);
	}

	/**
	 * Starts building a ledger that opens (and on {@link #close()} closes) its own
	 * connection, for plain servlet apps.
	 * @param redisUri a Redis URI such as {@code redis://localhost:6379/0} or
	 * {@code rediss://user:secret@redis.example.com:6380}
	 * @return a builder
	 */
	public static Builder builder(String redisUri) {
		Objects.requireNonNull(redisUri, "redisUri cannot be null");
		return new Builder(null, redisUri);
	}

	/**
	 * Creates and starts a Lettuce connection factory for a Redis URI with bounded calls:
	 * commands time out after {@code commandTimeout}; connecting is allowed at least two
	 * seconds, and a node's first connection is tried a few times before a request gets a
	 * store failure; while the connection is down commands fail at once instead of
	 * queueing, and reconnect attempts come at least every 500 ms. Share it with Spring
	 * Session's {@code RedisSessionRepository}; the caller closes it ({@code destroy()}).
	 * @param redisUri a Redis URI such as {@code redis://localhost:6379}
	 * @param commandTimeout the longest a Redis call may take
	 * @return the started factory
	 */
	public static LettuceConnectionFactory connectionFactory(String redisUri, Duration commandTimeout) {
		Objects.requireNonNull(redisUri, "redisUri cannot be null");
		requirePositive("commandTimeout", commandTimeout);
		return RedisStore.connectionFactory(redisUri, commandTimeout);
	}

	@Override
	public Admission begin(RequestStart start) {
		return this.admissions.begin(start);
	}

	@Override
	public void end(Permit permit, RequestOutcome outcome) {
		this.ends.end(permit, outcome);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * One script: the stream takes a lease in the session's stream set (renewed by
	 * {@link #renewStream} while it is open, expiring by itself if this node crashes).
	 */
	@Override
	public Admission beginStream(RequestStart start) {
		return this.streams.begin(start);
	}

	@Override
	public void endStream(Permit permit, long durationNanos) {
		this.streams.end(permit);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * One script: extends the stream's lease and the session's last activity, or tells
	 * that the session ended (on any node).
	 */
	@Override
	public StreamRenewal renewStream(Permit permit, SessionLimits limits) {
		return this.streams.renew(permit, limits);
	}

	@Override
	public Scope openRequestScope() {
		return this.scopes.openRequest();
	}

	@Override
	public Scope admitOnLoad(@Nullable String tenant, SessionLimits limits) {
		return this.scopes.admitOnLoad(SessionIndex.storedTenant(tenant), limits);
	}

	@Override
	public @Nullable SessionStats find(String sessionId) {
		Objects.requireNonNull(sessionId, "sessionId cannot be null");
		return this.streams.withStreams(this.scripts.readStats(sessionId));
	}

	/**
	 * Answers from a local cache of session tenants where it can: a session's tenant
	 * never changes, so only the first request of a session on this node asks Redis.
	 */
	@Override
	public boolean belongsToTenant(String sessionId, @Nullable String tenant) {
		String known = this.tenants.get(sessionId);
		if (known == null) {
			SessionStats stats = find(sessionId);
			if (stats == null) {
				return true;
			}
			known = SessionIndex.storedTenant(stats.tenant());
			if (this.tenants.size() >= TENANT_CACHE_SIZE) {
				// a crude bound: dropping the cache only costs one more lookup per
				// session
				this.tenants.clear();
			}
			this.tenants.put(sessionId, known);
		}
		return known.equals(SessionIndex.storedTenant(tenant));
	}

	@Override
	public List<SessionStats> findByUser(String userId) {
		Objects.requireNonNull(userId, "userId cannot be null");
		return this.users.sessionsOf(userId).stream().map(this.streams::withStreams).toList();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Exact at any number of sessions: the index scripts keep a reference-to-id hash per
	 * index shard, and a lookup costs one {@code HGET} per shard (16) and a read of the
	 * session found. Sessions indexed by a version without that hash are not found.
	 */
	@Override
	public @Nullable SessionStats findByReference(String reference) {
		Objects.requireNonNull(reference, "reference cannot be null");
		return this.sessions.findByReference(reference);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Live sessions are read from the live index by next sweep check (a close proxy of
	 * last activity), ended ones from the history by end time; at most a few times
	 * {@code max} records are read, so with very many sessions the result is the most
	 * recent ones by those orders.
	 */
	@Override
	public List<SessionStats> findByStatus(SessionStatus status, int max) {
		Objects.requireNonNull(status, "status cannot be null");
		return this.sessions.findByStatus(status, max).stream().map(this.streams::withStreams).toList();
	}

	@Override
	public @Nullable SessionStats endSession(String sessionId, SessionStatus status, String reason) {
		Objects.requireNonNull(sessionId, "sessionId cannot be null");
		Objects.requireNonNull(status, "status cannot be null");
		if (!status.isEnded()) {
			throw new IllegalArgumentException("a session cannot be ended with status " + status);
		}
		Objects.requireNonNull(reason, "reason cannot be null");
		return this.sessions.end(sessionId, status, reason);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The session and the user live in different cluster slots, so a bind takes a few
	 * round trips; the limit itself is decided by one script on the user's index, which
	 * serializes simultaneous binds of one user.
	 */
	@Override
	public boolean recordMetadata(String sessionId, Map<String, String> changes) {
		Objects.requireNonNull(sessionId, "sessionId cannot be null");
		MetadataPolicy.requireWithinBounds(changes);
		return this.scripts.recordMetadata(sessionId, changes);
	}

	@Override
	public BindResult bindUser(String sessionId, String userId, SessionLimits limits, SessionOrigin origin) {
		Objects.requireNonNull(sessionId, "sessionId cannot be null");
		Objects.requireNonNull(userId, "userId cannot be null");
		Objects.requireNonNull(limits, "limits cannot be null");
		Objects.requireNonNull(origin, "origin cannot be null");
		return this.users.bind(sessionId, userId, limits, origin);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The two ids live in different cluster slots: the state is taken from the old id
	 * (leaving a short-lived pointer that requests still in progress follow when they
	 * end), then written under the new one, then the indexes follow.
	 */
	@Override
	public boolean changeSessionId(String oldId, String newId) {
		Objects.requireNonNull(oldId, "oldId cannot be null");
		Objects.requireNonNull(newId, "newId cannot be null");
		return this.idChanges.change(oldId, newId);
	}

	@Override
	public List<SessionStats> sweep(SessionLimits limits) {
		return this.sessions.sweep(limits, this.users::keepAlive);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Cluster-wide: every node sharing this Redis and key prefix counts.
	 */
	@Override
	public long activeSessions() {
		return this.sessions.activeSessions();
	}

	/**
	 * The breaker every Redis call of this ledger goes through. Share it with the session
	 * repository ({@code GuardedSessionRepository}) so that an outage either sees spares
	 * the other the wait.
	 * @return the circuit breaker
	 */
	public StoreCircuitBreaker circuitBreaker() {
		return this.store.circuitBreaker();
	}

	/**
	 * The key prefix in use.
	 * @return the prefix, e.g. {@code sessiongate:}
	 */
	public String keyPrefix() {
		return this.scripts.keys().prefix();
	}

	/**
	 * Leases of this node's requests in progress (permits taken and not yet ended).
	 * Node-local.
	 * @return the number of permits this node holds
	 */
	public int permitsHeldByThisNode() {
		return this.leases.held();
	}

	/**
	 * Leases waiting to be freed because Redis failed while a request began or ended.
	 * Node-local.
	 * @return the number of leases still to free
	 */
	public int pendingReleases() {
		return this.leases.pending();
	}

	/**
	 * Stops renewing leases, frees this node's permits at once, and closes the connection
	 * this ledger opened itself (a connection factory given to the builder is left open).
	 */
	@Override
	public void close() {
		this.leases.close();
		this.store.close();
	}

	/** The parts {@link SessionGateRedisSessionRepository} stores sessions with. */
	RedisScripts scripts() {
		return this.scripts;
	}

	RequestScopes scopes() {
		return this.scopes;
	}

	Admissions admissions() {
		return this.admissions;
	}

	private static void requirePositive(String name, Duration value) {
		Objects.requireNonNull(value, name + " cannot be null");
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + value);
		}
	}

	/**
	 * Builds a {@link RedisSessionLedger}. Every setter validates its argument.
	 */
	public static final class Builder {

		private final @Nullable RedisConnectionFactory connectionFactory;

		private final @Nullable String uri;

		private String keyPrefix = DEFAULT_KEY_PREFIX;

		private Duration leaseTime = DEFAULT_LEASE_TIME;

		private Duration historyRetention = DEFAULT_HISTORY_RETENTION;

		private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

		private Duration sweepInterval = Duration.ofSeconds(30);

		private @Nullable Duration admissionTimeout;

		private @Nullable StoreCircuitBreaker circuitBreaker;

		private Builder(@Nullable RedisConnectionFactory connectionFactory, @Nullable String uri) {
			this.connectionFactory = connectionFactory;
			this.uri = uri;
		}

		/**
		 * The prefix of every key (property {@code sessiongate.redis.key-prefix}).
		 * @param keyPrefix e.g. {@code myapp:sessiongate:}; no braces
		 * @return this builder
		 */
		public Builder keyPrefix(String keyPrefix) {
			Objects.requireNonNull(keyPrefix, "keyPrefix cannot be null");
			new RedisKeys(keyPrefix); // validate now, with a clear message
			this.keyPrefix = keyPrefix;
			return this;
		}

		/**
		 * How long a permit lasts unless renewed. Permits of requests in progress are
		 * renewed every third of it; permits of a node that died are free again after it.
		 * @param leaseTime the lease time
		 * @return this builder
		 */
		public Builder leaseTime(Duration leaseTime) {
			requirePositive("leaseTime", leaseTime);
			this.leaseTime = leaseTime;
			return this;
		}

		/**
		 * How long ended sessions stay readable (property
		 * {@code sessiongate.history.retention}).
		 * @param historyRetention the retention
		 * @return this builder
		 */
		public Builder historyRetention(Duration historyRetention) {
			Objects.requireNonNull(historyRetention, "historyRetention cannot be null");
			if (historyRetention.isNegative()) {
				throw new IllegalArgumentException("historyRetention must not be negative, was " + historyRetention);
			}
			this.historyRetention = historyRetention;
			return this;
		}

		/**
		 * The longest one Redis call may take, for a ledger built from a URI. A ledger on
		 * a given connection factory uses that factory's timeout.
		 * @param commandTimeout the timeout
		 * @return this builder
		 */
		public Builder commandTimeout(Duration commandTimeout) {
			requirePositive("commandTimeout", commandTimeout);
			if (this.uri == null) {
				throw new IllegalStateException(
						"commandTimeout applies to ledgers built from a URI; set the connection factory's command timeout instead");
			}
			this.commandTimeout = commandTimeout;
			return this;
		}

		/**
		 * How often the gate sweeps (property {@code sessiongate.sweep-interval}). A live
		 * record is kept for its idle timeout plus the history retention plus four sweep
		 * intervals (at least ten minutes), so that a sweep ends an idle session, with
		 * its end event and history record, before Redis would expire it unseen.
		 * @param sweepInterval the sweep interval of the gates using this ledger
		 * @return this builder
		 */
		public Builder sweepInterval(Duration sweepInterval) {
			requirePositive("sweepInterval", sweepInterval);
			this.sweepInterval = sweepInterval;
			return this;
		}

		/**
		 * How long a node waits for the reply of the request-start script: a script that
		 * Redis runs later than that (Redis was paused or overloaded, the client gave up)
		 * takes no permit. Defaults to the command timeout of a
		 * {@link LettuceConnectionFactory} (or of the ledger's own connection); other
		 * factories have no such deadline, and a late script's permit is freed once the
		 * node reaches Redis again.
		 * @param admissionTimeout the client's timeout for one Redis command
		 * @return this builder
		 */
		public Builder admissionTimeout(Duration admissionTimeout) {
			requirePositive("admissionTimeout", admissionTimeout);
			this.admissionTimeout = admissionTimeout;
			return this;
		}

		/**
		 * The circuit breaker Redis calls go through (default: one of the ledger's own,
		 * open for {@link StoreCircuitBreaker#DEFAULT_OPEN_DURATION} after an outage).
		 * @param circuitBreaker the breaker, e.g. shared with the session repository
		 * @return this builder
		 */
		public Builder circuitBreaker(StoreCircuitBreaker circuitBreaker) {
			this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker cannot be null");
			return this;
		}

		/**
		 * Builds the ledger (and, when built from a URI, connects).
		 * @return the ledger
		 */
		public RedisSessionLedger build() {
			return new RedisSessionLedger(this);
		}

	}

}
