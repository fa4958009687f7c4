package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.Permit;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import io.github.sessiongate.store.StoreCircuitBreaker;
import io.github.sessiongate.store.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A {@link SessionLedger} that keeps its state in Redis, so several app nodes share one
 * set of sessions, counters and limits. Works with standalone Redis and Redis Cluster
 * through a Spring Data Redis {@link RedisConnectionFactory} (what Spring Boot provides).
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
 * gate tells the ledger ({@link #expectSessionLoad}) before it loads a request's session,
 * the load admits the request in the same script, and the end of the request writes the
 * session's changes; a request then costs two round trips in all.
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
public final class RedisSessionLedger implements SessionLedger {

	/** Default key prefix. */
	public static final String DEFAULT_KEY_PREFIX = "sessiongate:";

	/** Default lease time of a permit (renewed while its request runs). */
	public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

	/** Default time ended sessions stay readable. */
	public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofMinutes(30);

	/** Default bound on one Redis call, for ledgers that create their own connection. */
	public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);

	/** How long index keys outlive the newest session they hold (sweeps may be late). */
	private static final long INDEX_MARGIN_MS = Duration.ofMinutes(10).toMillis();

	/**
	 * The least time a live record outlives its idle timeout, so that a sweep (of any
	 * node) ends it, with an event and a history record, before its TTL would.
	 */
	private static final Duration MIN_SWEEP_GRACE = Duration.ofMinutes(10);

	/** How often releases of abandoned leases are retried while Redis fails. */
	private static final long RELEASE_RETRY_MS = 200;

	/** The clock offset to Redis before the first reply told it. */
	private static final long UNKNOWN_OFFSET = Long.MIN_VALUE;

	private static final int SWEEP_BATCH = 500;

	private static final int SWEEP_MAX_BATCHES = 200;

	private static final Logger logger = LoggerFactory.getLogger(RedisSessionLedger.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final byte[] ZERO = bytes("0");

	private static final byte[] ONE = bytes("1");

	static final LuaScript BEGIN = LuaScript.load("begin", "admit");

	private static final LuaScript END = LuaScript.load("end", "request-end");

	private static final LuaScript RENEW = LuaScript.load("renew");

	static final LuaScript RELEASE = LuaScript.load("release");

	private static final LuaScript FIND = LuaScript.load("find");

	private static final LuaScript END_SESSION = LuaScript.load("end-session");

	private static final LuaScript SWEEP_SESSION = LuaScript.load("sweep-session");

	private static final LuaScript SET_USER = LuaScript.load("set-user");

	private static final LuaScript RESET_USER = LuaScript.load("reset-user");

	private static final LuaScript BIND_USER = LuaScript.load("bind-user");

	private static final LuaScript UNBIND_USER = LuaScript.load("unbind-user");

	private static final LuaScript RENAME_USER = LuaScript.load("rename-user");

	private static final LuaScript TOUCH_USER = LuaScript.load("touch-user");

	private static final LuaScript MOVE_OUT = LuaScript.load("move-out");

	private static final LuaScript MOVE_IN = LuaScript.load("move-in");

	private static final LuaScript REGISTER = LuaScript.load("register");

	private static final LuaScript RETIRE = LuaScript.load("retire");

	private static final LuaScript DUE = LuaScript.load("due");

	private static final LuaScript RESCHEDULE = LuaScript.load("reschedule");

	private static final LuaScript RENAME_INDEX = LuaScript.load("rename-index");

	private static final LuaScript INDEX_READ = LuaScript.load("index-read");

	private static final LuaScript INDEX_PUT = LuaScript.load("index-put");

	private static final LuaScript INDEX_TAKE = LuaScript.load("index-take");

	private static final LuaScript COUNT_IN = LuaScript.load("count-in");

	private static final LuaScript COUNT_OUT = LuaScript.load("count-out");

	private static final LuaScript LOAD_BEGIN = LuaScript.load("load-begin", "session-data", "admit");

	private static final LuaScript LOAD = LuaScript.load("load", "session-data");

	private static final LuaScript SAVE = LuaScript.load("save", "session-data");

	private static final LuaScript TAKE = LuaScript.load("take", "session-data");

	private static final LuaScript END_SAVE = LuaScript.load("end-save", "request-end", "session-data");

	private static final byte[] NO_DATA = bytes("nodata");

	private static final int TENANT_CACHE_SIZE = 100_000;

	private final Map<String, String> tenants = new ConcurrentHashMap<>();

	private final RedisConnectionFactory connectionFactory;

	private final @Nullable LettuceConnectionFactory ownedFactory;

	private final RedisKeys keys;

	private final Duration leaseTime;

	private final Duration historyRetention;

	private final byte[] leaseMillis;

	private final byte[] retentionMillis;

	private final Duration sweepGrace;

	private final byte[] liveKeepMillis;

	/** The longest the client waits for a begin script; 0 when not known. */
	private final long admissionTimeoutMillis;

	/**
	 * Redis {@code TIME} minus this node's wall clock, plus the smallest latency seen (an
	 * over-estimate, so deadlines err late).
	 */
	private final AtomicLong clockOffsetMillis = new AtomicLong(UNKNOWN_OFFSET);

	private final Set<RedisPermit> inFlight = ConcurrentHashMap.newKeySet();

	/** Leases to free because their request's begin or end failed. */
	private final Queue<PendingRelease> pendingReleases = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean releasing = new AtomicBoolean();

	/**
	 * Whether a limit on all sessions is in use (seen in a request start or a sweep), so
	 * that the tenants' session counts must be kept.
	 */
	private volatile boolean countingTenants;

	private final ScheduledExecutorService executor;

	private final StoreCircuitBreaker circuitBreaker;

	/**
	 * The session repository that stores sessions next to this ledger's records, if any.
	 */
	private volatile @Nullable SessionGateRedisSessionRepository sessions;

	/** Per thread: the request whose session is being loaded, and its session. */
	private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);

	private RedisSessionLedger(Builder builder) {
		this.ownedFactory = (builder.uri != null) ? connectionFactory(builder.uri, builder.commandTimeout) : null;
		this.connectionFactory = (this.ownedFactory != null) ? this.ownedFactory
				: Objects.requireNonNull(builder.connectionFactory);
		this.keys = new RedisKeys(builder.keyPrefix);
		this.leaseTime = builder.leaseTime;
		this.historyRetention = builder.historyRetention;
		this.leaseMillis = number(this.leaseTime.toMillis());
		this.retentionMillis = number(this.historyRetention.toMillis());
		Duration byInterval = builder.sweepInterval.multipliedBy(4);
		this.sweepGrace = (byInterval.compareTo(MIN_SWEEP_GRACE) > 0) ? byInterval : MIN_SWEEP_GRACE;
		this.liveKeepMillis = number(this.historyRetention.plus(this.sweepGrace).toMillis());
		this.admissionTimeoutMillis = admissionTimeout(builder, this.connectionFactory);
		this.circuitBreaker = (builder.circuitBreaker != null) ? builder.circuitBreaker
				: StoreCircuitBreaker.of("redis");
		this.executor = Executors.newScheduledThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "sessiongate-redis-leases");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(1, this.leaseTime.toMillis() / 3);
		this.executor.scheduleWithFixedDelay(this::renewLeases, period, period, TimeUnit.MILLISECONDS);
		this.executor.scheduleWithFixedDelay(this::releasePending, RELEASE_RETRY_MS, RELEASE_RETRY_MS,
				TimeUnit.MILLISECONDS);
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
	 * commands time out after {@code commandTimeout}, connecting too, while the
	 * connection is down commands fail at once instead of queueing, and reconnect
	 * attempts come at least every 500 ms. Share it with Spring Session's
	 * {@code RedisSessionRepository}; the caller closes it ({@code destroy()}).
	 * @param redisUri a Redis URI such as {@code redis://localhost:6379}
	 * @param commandTimeout the longest a Redis call may take
	 * @return the started factory
	 */
	public static LettuceConnectionFactory connectionFactory(String redisUri, Duration commandTimeout) {
		Objects.requireNonNull(redisUri, "redisUri cannot be null");
		requirePositive("commandTimeout", commandTimeout);
		// reconnect attempts at most every 500 ms (Lettuce's default backs off to 30 s),
		// so
		// service returns soon after Redis does
		ClientResources resources = ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
			.build();
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.clientResources(resources)
			.commandTimeout(commandTimeout)
			.clientOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(redisUri), client) {

			@Override
			public void destroy() {
				super.destroy();
				resources.shutdown();
			}

		};
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Override
	public Admission begin(RequestStart start) {
		SessionLimits limits = start.limits();
		String sessionId = start.sessionId();
		String tenant = tenant(start.tenant());
		Slot slot = this.slots.get();
		List<Object> reply = null;
		RedisPermit permit = null;
		if (slot.stashedPermit != null) {
			// the session was loaded by this thread a moment ago, and the request
			// admitted
			// in the same script
			if (sessionId.equals(slot.stashedPermit.sessionId()) && tenant.equals(slot.stashedTenant)) {
				permit = slot.stashedPermit;
				reply = slot.stashedReply;
				slot.clearStash();
			}
			else {
				releaseStash(slot);
			}
		}
		if (permit == null) {
			permit = new RedisPermit(sessionId, newLeaseId(), System.nanoTime());
		}
		try {
			String stashed = (reply != null) ? string(reply, 0) : "";
			if (reply == null || "late".equals(stashed)) {
				reply = runBegin(start, tenant, permit, false);
			}
			if ("absent".equals(string(reply, 0))) {
				if (!register(start, tenant)) {
					return new Admission.Rejected(Limit.MAX_SESSIONS, limits.retryAfter());
				}
				reply = runBegin(start, tenant, permit, true);
			}
		}
		catch (RuntimeException ex) {
			abandonAdmission(ex, sessionId, permit.leaseId());
			throw ex;
		}
		String kind = string(reply, 0);
		switch (kind) {
			case "admitted" -> {
				this.inFlight.add(permit);
				SessionGateRedisSessionRepository.GateSession session = slot.session;
				if (session != null && sessionId.equals(session.getId())) {
					permit.session(session);
				}
				String userId = string(reply, 1);
				long rateRemaining = (reply.size() > 3) ? number(reply, 3) : -1;
				return new Admission.Admitted(permit, userId.isEmpty() ? null : userId, number(reply, 2) == 1,
						rateRemaining);
			}
			case "rejected" -> {
				if (Limit.RATE.tag().equals(string(reply, 1))) {
					return new Admission.Rejected(Limit.RATE, ceilSeconds(number(reply, 2)));
				}
				return new Admission.Rejected(Limit.SESSION_CONCURRENCY, limits.retryAfter());
			}
			case "ended" -> {
				SessionStats stats = stats(sessionId, reply, 2);
				boolean endedNow = number(reply, 1) == 1;
				if (endedNow) {
					retire(stats);
				}
				return new Admission.Ended(stats, endedNow);
			}
			case "foreign" -> {
				return new Admission.ForeignTenant();
			}
			case "cancelled" -> {
				// only a begin sent again with a lease id this node gave up on gets here
				throw new IllegalStateException("The lease of this request was released before it was taken");
			}
			default -> throw new IllegalStateException("Unexpected reply from the begin script: " + kind);
		}
	}

	private List<Object> runBegin(RequestStart start, String tenant, RedisPermit permit, boolean create) {
		long sentAt = System.currentTimeMillis();
		long deadline = admissionDeadline(sentAt);
		List<Object> reply = runBegin(start, tenant, permit, create, deadline);
		if (!learnClockOffset(reply, sentAt)) {
			// the reply came in time, so the offset was wrong (e.g. this node's clock was
			// set back): it is learnt again; retry at once
			return runBegin(start, tenant, permit, create, 0);
		}
		return reply;
	}

	/** The deadline to send with an admission, in Redis time; 0 when not known. */
	private long admissionDeadline(long sentAt) {
		long offset = this.clockOffsetMillis.get();
		return (this.admissionTimeoutMillis > 0 && offset != UNKNOWN_OFFSET)
				? sentAt + offset + this.admissionTimeoutMillis : 0;
	}

	/**
	 * Learns the offset of the Redis clock from an admission's reply.
	 * @return {@code false} when the admission came late by a wrong offset (now learnt)
	 */
	private boolean learnClockOffset(List<Object> reply, long sentAt) {
		String kind = string(reply, 0);
		if ("late".equals(kind)) {
			this.clockOffsetMillis.set(number(reply, 1) - sentAt);
			return false;
		}
		int clockAt = "admitted".equals(kind) ? 4 : "rejected".equals(kind) ? 3 : -1;
		if (clockAt > 0 && reply.size() > clockAt) {
			long sample = number(reply, clockAt) - sentAt;
			this.clockOffsetMillis.accumulateAndGet(sample,
					(current, next) -> (current == UNKNOWN_OFFSET) ? next : Math.min(current, next));
		}
		return true;
	}

	private List<Object> runBegin(RequestStart start, String tenant, RedisPermit permit, boolean create,
			long deadline) {
		SessionLimits limits = start.limits();
		String sessionId = start.sessionId();
		List<Object> reply = run(BEGIN, keys(this.keys.session(sessionId), this.keys.leases(sessionId)),
				admissionArguments(tenant, number(micros(start.creationTime())), number(start.idleTimeout().toMillis()),
						limits, permit, create, deadline));
		return Objects.requireNonNull(reply, "begin script returned nothing");
	}

	/** The arguments of admit.lua. */
	private byte[][] admissionArguments(String tenant, byte[] creationMicros, byte[] idleMillis, SessionLimits limits,
			RedisPermit permit, boolean create, long deadline) {
		RateLimit rate = limits.rate();
		Duration absolute = limits.absoluteTimeout();
		return new byte[][] { bytes(tenant), creationMicros, idleMillis, this.retentionMillis,
				number((absolute != null) ? Math.max(1, absolute.toMillis()) : 0),
				number(limits.maxConcurrentRequestsPerSession()), number((rate != null) ? rate.capacity() : 0),
				number((rate != null) ? rate.refillPeriod().toNanos() / 1000 : 0), this.leaseMillis,
				bytes(permit.leaseId()), create ? ONE : ZERO, number(deadline), this.liveKeepMillis };
	}

	/**
	 * Indexes a new session in its shard; with a limit on all sessions, counts it in its
	 * tenant first (the one key every session start of a tenant writes, needed for an
	 * exact limit).
	 * @return {@code false} when the tenant is at {@code limits.max-sessions}
	 */
	private boolean register(RequestStart start, String tenant) {
		Duration absolute = start.limits().absoluteTimeout();
		long deadline = (absolute != null) ? start.creationTime().plus(absolute).toEpochMilli() : 0;
		long indexTtl = this.historyRetention.toMillis() + INDEX_MARGIN_MS;
		long max = start.limits().maxSessions();
		if (max > 0) {
			this.countingTenants = true;
			List<Object> counted = run(COUNT_IN, keys(this.keys.tenantCount(tenant)), number(max),
					number(start.idleTimeout().toMillis() + indexTtl));
			if (counted == null || number(counted, 0) != 1) {
				return false;
			}
		}
		int shard = RedisKeys.shard(start.sessionId());
		List<Object> reply;
		try {
			reply = run(REGISTER, keys(this.keys.indexLive(shard), this.keys.indexCounts(shard)),
					bytes(member(start.sessionId(), tenant)), bytes(tenant), number(start.idleTimeout().toMillis()),
					number(indexTtl), number(deadline));
		}
		catch (RuntimeException ex) {
			if (max > 0) {
				countOut(tenant, 0);
			}
			throw ex;
		}
		if (max > 0 && (reply == null || number(reply, 0) == 0)) {
			// indexed (and counted) before, by a concurrent first request of the session
			countOut(tenant, 0);
		}
		return true;
	}

	private void countOut(String tenant, long ttl) {
		run(COUNT_OUT, keys(this.keys.tenantCount(tenant)), number(ttl));
	}

	@Override
	public void end(Permit permit, RequestOutcome outcome) {
		if (!(permit instanceof RedisPermit redisPermit)) {
			throw new IllegalArgumentException("permit was not issued by this ledger: " + permit);
		}
		this.inFlight.remove(redisPermit);
		byte[] lease = bytes(redisPermit.leaseId());
		byte[] duration = number(outcome.durationNanos());
		byte[] error = outcome.error() ? ONE : ZERO;
		String sessionId = redisPermit.sessionId();
		SessionGateRedisSessionRepository.GateSession session = redisPermit.takeSession();
		if (session != null) {
			Slot slot = this.slots.get();
			if (slot.session == session && !slot.open) {
				// no outer filter tells when this request is over: keep nothing past its
				// end
				slot.session = null;
			}
		}
		boolean followed = false;
		for (int attempt = 0; attempt < 6; attempt++) {
			List<Object> reply;
			try {
				if (session != null && attempt == 0 && session.savableAtRequestEnd()
						&& sessionId.equals(session.getId())) {
					// one script ends the request and saves what it changed in its
					// session
					reply = endAndSave(sessionId, session, lease, duration, error);
				}
				else {
					reply = run(END,
							keys(this.keys.session(sessionId), this.keys.leases(sessionId), this.keys.moved(sessionId)),
							lease, duration, error, this.liveKeepMillis, this.leaseMillis);
				}
			}
			catch (RuntimeException ex) {
				// free the permit once Redis answers again rather than after the lease
				// time
				abandon(sessionId, redisPermit.leaseId(), false);
				throw ex;
			}
			String kind = string(Objects.requireNonNull(reply), 0);
			if ("moved".equals(kind)) {
				sessionId = string(reply, 1);
				redisPermit.sessionId(sessionId);
				followed = true;
			}
			else if ("gone".equals(kind) && followed) {
				// the id change is between its two steps: the new record is written next
				pause(attempt + 1);
			}
			else {
				return;
			}
		}
	}

	private List<Object> endAndSave(String sessionId, SessionGateRedisSessionRepository.GateSession session,
			byte[] lease, byte[] duration, byte[] error) {
		SessionGateRedisSessionRepository repository = session.repository();
		byte[][] args = repository.saveArguments(session, 5);
		args[0] = lease;
		args[1] = duration;
		args[2] = error;
		args[3] = this.liveKeepMillis;
		args[4] = this.leaseMillis;
		List<Object> reply = Objects.requireNonNull(run(END_SAVE, keys(this.keys.session(sessionId),
				this.keys.leases(sessionId), this.keys.moved(sessionId), this.keys.data(sessionId)), args));
		if (reply.size() > 2 && number(reply, 2) == 1) {
			repository.saved(session);
		}
		return reply;
	}

	// ---- the sessions of SessionGateRedisSessionRepository

	@Override
	public void expectSessionLoad(@Nullable String tenant, SessionLimits limits) {
		if (this.sessions != null) {
			Slot slot = this.slots.get();
			if (!slot.open) {
				// no outer filter opened this request: nothing loaded before belongs to
				// it
				slot.session = null;
			}
			slot.expectedTenant = tenant(tenant);
			slot.expectedLimits = limits;
		}
	}

	@Override
	public void requestStarted() {
		if (this.sessions != null) {
			Slot slot = this.slots.get();
			slot.session = null;
			slot.open = true;
		}
	}

	@Override
	public void requestFinished() {
		if (this.sessions != null) {
			releaseStash(this.slots.get());
			// nothing is kept on a pooled thread between requests (nor this class, past a
			// redeployment)
			this.slots.remove();
		}
	}

	@Override
	public void sessionLoadDone() {
		if (this.sessions != null) {
			Slot slot = this.slots.get();
			slot.expectedLimits = null;
			releaseStash(slot);
		}
	}

	void attach(SessionGateRedisSessionRepository repository) {
		synchronized (this.slots) {
			if (this.sessions != null) {
				throw new IllegalStateException("This ledger already stores the sessions of another repository");
			}
			this.sessions = repository;
		}
	}

	/**
	 * Loads a session; when this thread {@link #expectSessionLoad expects} it, admits its
	 * request in the same script and keeps the admission for {@link #begin}.
	 */
	SessionGateRedisSessionRepository.@Nullable GateSession loadSession(String sessionId) {
		SessionGateRedisSessionRepository repository = Objects.requireNonNull(this.sessions);
		Slot slot = this.slots.get();
		SessionLimits limits = slot.expectedLimits;
		SessionGateRedisSessionRepository.GateSession session;
		SessionGateRedisSessionRepository.GateSession current = slot.session;
		if (limits == null && current != null && slot.open && sessionId.equals(current.getId())
				&& !current.isDeleted()) {
			// the same request asks again (Spring Security's session registry, Spring
			// Session when it commits twice): this thread's request holds the session, as
			// loaded and since changed
			return current;
		}
		if (limits == null) {
			List<Object> reply = run(LOAD, keys(this.keys.data(sessionId)));
			session = (reply == null || isNoData(reply)) ? null : repository.fromFields(sessionId, reply, 0);
		}
		else {
			slot.expectedLimits = null;
			session = loadAndAdmit(repository, slot, sessionId, limits);
		}
		if (session != null) {
			slot.session = session;
		}
		return session;
	}

	private SessionGateRedisSessionRepository.@Nullable GateSession loadAndAdmit(
			SessionGateRedisSessionRepository repository, Slot slot, String sessionId, SessionLimits limits) {
		String tenant = Objects.requireNonNull(slot.expectedTenant);
		releaseStash(slot);
		RedisPermit permit = new RedisPermit(sessionId, newLeaseId(), System.nanoTime());
		long sentAt = System.currentTimeMillis();
		List<Object> reply;
		try {
			reply = run(LOAD_BEGIN,
					keys(this.keys.session(sessionId), this.keys.leases(sessionId), this.keys.data(sessionId)),
					admissionArguments(tenant, ZERO, ZERO, limits, permit, false, admissionDeadline(sentAt)));
		}
		catch (RuntimeException ex) {
			abandonAdmission(ex, sessionId, permit.leaseId());
			throw ex;
		}
		if (reply == null || isNoData(reply)) {
			return null;
		}
		int size = (int) number(reply, 0);
		// a view: the reply is this request's own and is not changed afterwards
		List<Object> admission = reply.subList(1, 1 + size);
		boolean admitted = "admitted".equals(string(admission, 0));
		SessionGateRedisSessionRepository.GateSession session;
		try {
			session = repository.fromFields(sessionId, reply, 1 + size);
		}
		catch (RuntimeException ex) {
			if (admitted) {
				abandon(sessionId, permit.leaseId(), false);
			}
			throw ex;
		}
		if (session == null) {
			if (admitted) {
				abandon(sessionId, permit.leaseId(), false);
			}
			return null;
		}
		learnClockOffset(admission, sentAt);
		slot.stashedPermit = permit;
		slot.stashedReply = admission;
		slot.stashedTenant = tenant;
		return session;
	}

	/** Frees an admission made while loading that no {@link #begin} took. */
	private void releaseStash(Slot slot) {
		RedisPermit permit = slot.stashedPermit;
		List<Object> reply = slot.stashedReply;
		slot.clearStash();
		if (permit != null && reply != null && "admitted".equals(string(reply, 0))) {
			abandon(permit.sessionId(), permit.leaseId(), false);
		}
	}

	/** A session this thread created or loaded: the end of its request may save it. */
	void sessionInUse(SessionGateRedisSessionRepository.GateSession session) {
		this.slots.get().session = session;
	}

	boolean saveData(String sessionId, byte[][] arguments) {
		List<Object> reply = run(SAVE, keys(this.keys.data(sessionId)), arguments);
		return reply != null && number(reply, 0) == 1;
	}

	@Nullable List<Object> takeData(String sessionId) {
		List<Object> reply = run(TAKE, keys(this.keys.data(sessionId)));
		return (reply == null || isNoData(reply)) ? null : reply;
	}

	void deleteData(String sessionId) {
		SessionGateRedisSessionRepository.GateSession session = this.slots.get().session;
		if (session != null && sessionId.equals(session.getId())) {
			session.markDeleted();
		}
		byte[] key = this.keys.data(sessionId);
		redis((connection) -> connection.keyCommands().del(key));
	}

	byte[] dataKey(String sessionId) {
		return this.keys.data(sessionId);
	}

	private static boolean isNoData(List<Object> reply) {
		return reply.size() == 1 && reply.get(0) instanceof byte[] value && Arrays.equals(value, NO_DATA);
	}

	@Override
	public @Nullable SessionStats find(String sessionId) {
		Objects.requireNonNull(sessionId, "sessionId cannot be null");
		List<Object> reply = run(FIND, keys(this.keys.session(sessionId), this.keys.leases(sessionId)));
		return (reply != null) ? stats(sessionId, reply, 0) : null;
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
			known = tenant(stats.tenant());
			if (this.tenants.size() >= TENANT_CACHE_SIZE) {
				// a crude bound: dropping the cache only costs one more lookup per
				// session
				this.tenants.clear();
			}
			this.tenants.put(sessionId, known);
		}
		return known.equals(tenant(tenant));
	}

	@Override
	public List<SessionStats> findByUser(String userId) {
		Objects.requireNonNull(userId, "userId cannot be null");
		Set<String> ids = new LinkedHashSet<>();
		ids.addAll(members(this.keys.userLive(userId), 0, -1));
		ids.addAll(members(this.keys.userEnded(userId), 0, -1));
		List<SessionStats> result = new ArrayList<>();
		for (String id : ids) {
			SessionStats stats = find(id);
			if (stats != null && userId.equals(stats.userId())) {
				result.add(stats);
			}
		}
		result.sort(Comparator.comparing(SessionStats::lastActivity).reversed());
		return result;
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
		if (max <= 0) {
			return List.of();
		}
		// every shard's most recent: about twice the sessions asked for, spread over the
		// shards
		long window = Math.min(Integer.MAX_VALUE, (2L * max + 100) / RedisKeys.SHARDS + max);
		List<SessionStats> result = new ArrayList<>();
		for (int shard = 0; shard < RedisKeys.SHARDS; shard++) {
			boolean live = status == SessionStatus.ACTIVE;
			byte[] index = live ? this.keys.indexLive(shard) : this.keys.indexHistory(shard);
			for (String member : reverseMembers(index, window)) {
				SessionStats stats = find(live ? sessionIdOf(member) : member);
				if (stats != null && stats.status() == status) {
					result.add(stats);
				}
			}
		}
		result.sort(Comparator.comparing(SessionStats::lastActivity).reversed());
		return (result.size() > max) ? List.copyOf(result.subList(0, max)) : result;
	}

	@Override
	public @Nullable SessionStats endSession(String sessionId, SessionStatus status, String reason) {
		Objects.requireNonNull(sessionId, "sessionId cannot be null");
		Objects.requireNonNull(status, "status cannot be null");
		if (!status.isEnded()) {
			throw new IllegalArgumentException("a session cannot be ended with status " + status);
		}
		Objects.requireNonNull(reason, "reason cannot be null");
		List<Object> reply = run(END_SESSION, keys(this.keys.session(sessionId), this.keys.leases(sessionId)),
				bytes(status.name()), bytes(reason), this.retentionMillis);
		if (reply == null) {
			return null;
		}
		SessionStats stats = stats(sessionId, reply, 0);
		retire(stats);
		return stats;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The session and the user live in different cluster slots, so a bind takes a few
	 * round trips; the limit itself is decided by one script on the user's index, which
	 * serializes simultaneous binds of one user.
	 */
	@Override
	public BindResult bindUser(String sessionId, String userId, SessionLimits limits) {
		Objects.requireNonNull(sessionId, "sessionId cannot be null");
		Objects.requireNonNull(userId, "userId cannot be null");
		Objects.requireNonNull(limits, "limits cannot be null");
		SessionStats session = find(sessionId);
		if (session == null || session.status().isEnded()) {
			return BindResult.of(BindResult.Outcome.UNKNOWN_SESSION);
		}
		if (userId.equals(session.userId())) {
			return BindResult.of(BindResult.Outcome.ALREADY_BOUND);
		}
		// the record names the user first, so a concurrent bind that ends this session
		// to make room ends a session of this user, as it would in memory
		List<Object> set = Objects.requireNonNull(run(SET_USER, keys(this.keys.session(sessionId)), bytes(userId)),
				"set-user script returned nothing");
		if ("gone".equals(string(set, 0))) {
			return BindResult.of(BindResult.Outcome.UNKNOWN_SESSION);
		}
		String previous = string(set, 1);
		List<byte[]> args = new ArrayList<>();
		args.add(bytes(sessionId));
		args.add(number(limits.maxSessionsPerUser()));
		args.add(bytes(
				(limits.sessionsPerUserPolicy() == SessionsPerUserPolicy.END_OLDEST) ? "end-oldest" : "reject-new"));
		args.add(number(userIndexTtl()));
		if (limits.maxSessionsPerUser() > 0) {
			// tell the script which indexed sessions are still live, and how recently
			// they were active; sessions bound meanwhile count as live
			for (String other : members(this.keys.userLive(userId), 0, -1)) {
				if (other.equals(sessionId)) {
					continue;
				}
				SessionStats stats = find(other);
				String state = (stats == null) ? "gone" : stats.status().isEnded() ? "ended" : "live";
				args.add(bytes(other));
				args.add(bytes(state));
				args.add(number((stats != null) ? micros(stats.lastActivity()) : 0));
			}
		}
		List<Object> reply = Objects.requireNonNull(run(BIND_USER,
				keys(this.keys.userLive(userId), this.keys.userEnded(userId)), args.toArray(byte[][]::new)),
				"bind script returned nothing");
		if ("rejected".equals(string(reply, 0))) {
			run(RESET_USER, keys(this.keys.session(sessionId)), bytes(userId), bytes(previous));
			return BindResult.of(BindResult.Outcome.REJECTED);
		}
		List<SessionStats> ended = new ArrayList<>();
		for (int i = 1; i < reply.size(); i++) {
			SessionStats stats = endSession(string(reply, i), SessionStatus.COMPLETED, "session-limit");
			if (stats != null) {
				ended.add(stats);
			}
		}
		if (!previous.isEmpty() && !previous.equals(userId)) {
			unindexUser(previous, sessionId);
		}
		return new BindResult(BindResult.Outcome.BOUND, ended);
	}

	private void unindexUser(String userId, String sessionId) {
		run(UNBIND_USER, keys(this.keys.userLive(userId), this.keys.userEnded(userId)), bytes(sessionId));
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
		if (oldId.equals(newId)) {
			return find(oldId) != null;
		}
		List<Object> out = run(MOVE_OUT,
				keys(this.keys.session(oldId), this.keys.leases(oldId), this.keys.moved(oldId)), bytes(newId),
				number(this.leaseTime.toMillis() * 2));
		if (out == null) {
			return false;
		}
		long ttl = (Long) out.get(0);
		List<?> record = (List<?>) out.get(1);
		List<?> leases = (List<?>) out.get(2);
		List<byte[]> args = new ArrayList<>();
		args.add(number(Math.max(ttl, 1)));
		args.add(number(record.size()));
		record.forEach((item) -> args.add((byte[]) item));
		leases.forEach((item) -> args.add((byte[]) item));
		run(MOVE_IN, keys(this.keys.session(newId), this.keys.leases(newId)), args.toArray(byte[][]::new));
		for (RedisPermit permit : this.inFlight) {
			if (permit.sessionId().equals(oldId)) {
				permit.sessionId(newId);
			}
		}
		Map<String, String> fields = fields(record);
		String tenant = fields.getOrDefault("tn", "");
		renameIndex(oldId, newId, tenant);
		String userId = fields.get("u");
		if (userId != null && !userId.isEmpty()) {
			run(RENAME_USER, keys(this.keys.userLive(userId), this.keys.userEnded(userId)), bytes(oldId), bytes(newId));
		}
		return true;
	}

	/**
	 * Follows a session id change in the index: within the shard when both ids share one,
	 * otherwise added to the new shard before it is taken from the old one.
	 */
	private void renameIndex(String oldId, String newId, String tenant) {
		int from = RedisKeys.shard(oldId);
		int to = RedisKeys.shard(newId);
		byte[] oldMember = bytes(member(oldId, tenant));
		byte[] newMember = bytes(member(newId, tenant));
		if (from == to) {
			run(RENAME_INDEX, keys(this.keys.indexLive(from), this.keys.indexHistory(from)), oldMember, newMember,
					bytes(oldId), bytes(newId));
			return;
		}
		List<Object> scores = Objects.requireNonNull(
				run(INDEX_READ, keys(this.keys.indexLive(from), this.keys.indexHistory(from)), oldMember, bytes(oldId)),
				"index-read script returned nothing");
		run(INDEX_PUT, keys(this.keys.indexLive(to), this.keys.indexCounts(to), this.keys.indexHistory(to)), newMember,
				bytes(tenant), bytes(string(scores, 0)), bytes(newId), bytes(string(scores, 1)),
				number(this.historyRetention.toMillis() + INDEX_MARGIN_MS + this.sweepGrace.toMillis()));
		run(INDEX_TAKE, keys(this.keys.indexLive(from), this.keys.indexCounts(from), this.keys.indexHistory(from)),
				oldMember, bytes(tenant), bytes(oldId));
	}

	@Override
	public List<SessionStats> sweep(SessionLimits limits) {
		if (limits.maxSessions() > 0) {
			this.countingTenants = true;
		}
		List<SessionStats> ended = new ArrayList<>();
		Set<String> tenantsSeen = new java.util.HashSet<>();
		for (int shard = 0; shard < RedisKeys.SHARDS; shard++) {
			sweep(shard, limits, ended, tenantsSeen);
		}
		if (this.countingTenants) {
			// a tenant's count lives as long as the index entries of its live sessions
			long ttl = this.historyRetention.toMillis() + INDEX_MARGIN_MS + this.sweepGrace.toMillis();
			for (String tenant : tenantsSeen) {
				// touch-user extends the TTL of its two keys; here both are the count
				run(TOUCH_USER, keys(this.keys.tenantCount(tenant), this.keys.tenantCount(tenant)), number(ttl));
			}
		}
		return ended;
	}

	private void sweep(int shard, SessionLimits limits, List<SessionStats> ended, Set<String> tenantsSeen) {
		Duration absolute = limits.absoluteTimeout();
		byte[] absoluteMillis = number((absolute != null) ? Math.max(1, absolute.toMillis()) : 0);
		for (int batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
			List<Object> due = run(DUE, keys(this.keys.indexLive(shard)), number(SWEEP_BATCH));
			if (due == null) {
				break;
			}
			List<byte[]> reschedule = new ArrayList<>();
			reschedule.add(number(INDEX_MARGIN_MS + this.historyRetention.toMillis()));
			for (int i = 0; i < due.size(); i++) {
				String member = string(due, i);
				String sessionId = sessionIdOf(member);
				List<Object> reply = Objects
					.requireNonNull(run(SWEEP_SESSION, keys(this.keys.session(sessionId), this.keys.leases(sessionId)),
							absoluteMillis, this.retentionMillis));
				switch (string(reply, 0)) {
					case "gone" -> retire(member, sessionId, 0);
					case "ended-before" -> retire(member, sessionId, Long.parseLong(string(reply, 1)));
					case "ended" -> {
						SessionStats stats = stats(sessionId, reply, 1);
						retire(stats);
						ended.add(stats);
					}
					default -> {
						tenantsSeen.add(tenantOfMember(member));
						reschedule.add(bytes(member));
						reschedule.add(bytes(string(reply, 1)));
						String userId = string(reply, 2);
						if (!userId.isEmpty()) {
							run(TOUCH_USER, keys(this.keys.userLive(userId), this.keys.userEnded(userId)),
									number(userIndexTtl()));
						}
					}
				}
			}
			if (reschedule.size() > 1) {
				run(RESCHEDULE, keys(this.keys.indexLive(shard), this.keys.indexCounts(shard)),
						reschedule.toArray(byte[][]::new));
			}
			if (due.size() < SWEEP_BATCH) {
				break;
			}
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Cluster-wide: every node sharing this Redis and key prefix counts.
	 */
	@Override
	public long activeSessions() {
		long total = 0;
		for (int shard = 0; shard < RedisKeys.SHARDS; shard++) {
			byte[] key = this.keys.indexCounts(shard);
			List<byte[]> counts = redis((connection) -> connection.hashCommands().hVals(key));
			if (counts != null) {
				for (byte[] count : counts) {
					total += Long.parseLong(new String(count, StandardCharsets.UTF_8));
				}
			}
		}
		return total;
	}

	/**
	 * The breaker every Redis call of this ledger goes through. Share it with the session
	 * repository ({@code GuardedSessionRepository}) so that an outage either sees spares
	 * the other the wait.
	 * @return the circuit breaker
	 */
	public StoreCircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	/**
	 * The key prefix in use.
	 * @return the prefix, e.g. {@code sessiongate:}
	 */
	public String keyPrefix() {
		return this.keys.prefix();
	}

	/**
	 * Stops renewing leases and closes the connection this ledger opened itself (a
	 * connection factory given to the builder is left open).
	 */
	@Override
	public void close() {
		this.executor.shutdownNow();
		try {
			// a release in progress holds the queue; let it finish first
			this.executor.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// free this node's permits now: other nodes need not wait for the leases to
		// expire
		for (RedisPermit permit : this.inFlight) {
			this.pendingReleases
				.add(new PendingRelease(permit.sessionId(), permit.leaseId(), false, System.nanoTime()));
		}
		this.inFlight.clear();
		releasePending();
		if (this.ownedFactory != null) {
			this.ownedFactory.destroy();
		}
	}

	/**
	 * Leases of this node's requests in progress (permits taken and not yet ended).
	 * Node-local.
	 * @return the number of permits this node holds
	 */
	public int permitsHeldByThisNode() {
		return this.inFlight.size();
	}

	/**
	 * Leases waiting to be freed because Redis failed while a request began or ended.
	 * Node-local.
	 * @return the number of leases still to free
	 */
	public int pendingReleases() {
		return this.pendingReleases.size();
	}

	/**
	 * An admission script failed in the client: unless the breaker refused it before it
	 * was sent, it may still run when Redis answers again, so free what it takes.
	 */
	private void abandonAdmission(RuntimeException failure, String sessionId, String leaseId) {
		if (!(failure instanceof StoreUnavailableException unavailable) || unavailable.attempted()) {
			abandon(sessionId, leaseId, true);
		}
	}

	private void abandon(String sessionId, String leaseId, boolean mark) {
		this.pendingReleases.add(new PendingRelease(sessionId, leaseId, mark, System.nanoTime()));
		try {
			this.executor.execute(this::releasePending);
		}
		catch (RejectedExecutionException ex) {
			// closed: the lease expires by itself
		}
	}

	/**
	 * Frees abandoned leases in the order they were abandoned; stops at the first failure
	 * (Redis is still away) and is tried again shortly.
	 */
	private void releasePending() {
		if (this.pendingReleases.isEmpty() || !this.releasing.compareAndSet(false, true)) {
			return;
		}
		try {
			long expired = System.nanoTime() - 2 * this.leaseTime.toNanos();
			PendingRelease next;
			while ((next = this.pendingReleases.peek()) != null) {
				if (next.sinceNanos() - expired > 0) {
					try {
						run(RELEASE, keys(this.keys.session(next.sessionId()), this.keys.leases(next.sessionId())),
								bytes(next.leaseId()), next.mark() ? ONE : ZERO);
					}
					catch (RuntimeException ex) {
						logger.debug("Could not free an abandoned lease yet", ex);
						return;
					}
				}
				// freed, or expired by itself long ago
				this.pendingReleases.remove(next);
			}
		}
		finally {
			this.releasing.set(false);
		}
	}

	private void retire(SessionStats stats) {
		Instant endedAt = stats.endedAt();
		retire(member(stats.sessionId(), tenant(stats.tenant())), stats.sessionId(),
				(endedAt != null) ? micros(endedAt) : 0);
	}

	private void retire(String member, String sessionId, long endedMicros) {
		int shard = RedisKeys.shard(sessionId);
		String tenant = tenantOfMember(member);
		List<Object> reply = run(RETIRE,
				keys(this.keys.indexLive(shard), this.keys.indexCounts(shard), this.keys.indexHistory(shard)),
				bytes(member), bytes(tenant), bytes(sessionId), number(endedMicros), this.retentionMillis,
				number(INDEX_MARGIN_MS));
		if (this.countingTenants && reply != null && number(reply, 0) == 1) {
			countOut(tenant, 0);
		}
	}

	private void renewLeases() {
		long threshold = System.nanoTime() - this.leaseTime.toNanos() / 3;
		for (RedisPermit permit : this.inFlight) {
			if (permit.renewedAtNanos() - threshold <= 0) {
				try {
					run(RENEW, keys(this.keys.leases(permit.sessionId())), bytes(permit.leaseId()), this.leaseMillis);
					permit.renewedAtNanos(System.nanoTime());
				}
				catch (RuntimeException ex) {
					logger.debug("Could not renew a lease of {}", permit, ex);
				}
			}
		}
	}

	private long userIndexTtl() {
		// a user's index is kept alive by binds and by sweeps of its live sessions
		return this.historyRetention.toMillis() + INDEX_MARGIN_MS + Duration.ofHours(1).toMillis();
	}

	/**
	 * What a thread keeps between loading a session and admitting its request, and
	 * between admitting it and ending it. Reused: one per thread.
	 */
	private static final class Slot {

		/** The request whose session this thread is about to load. */
		@Nullable String expectedTenant;

		@Nullable SessionLimits expectedLimits;

		/** An admission made while loading, for {@link #begin} to take. */
		@Nullable RedisPermit stashedPermit;

		@Nullable List<Object> stashedReply;

		@Nullable String stashedTenant;

		/**
		 * Between {@link #requestStarted} and {@link #requestFinished} (the outermost
		 * filter): the session below belongs to the request in progress on this thread.
		 */
		boolean open;

		/** The session this thread created or loaded last. */
		SessionGateRedisSessionRepository.@Nullable GateSession session;

		void clearStash() {
			this.stashedPermit = null;
			this.stashedReply = null;
			this.stashedTenant = null;
		}

	}

	/**
	 * A lease to free: its request's begin timed out or its end failed.
	 */
	private record PendingRelease(String sessionId, String leaseId, boolean mark, long sinceNanos) {
	}

	private List<String> members(byte[] key, long from, long to) {
		return strings(redis((connection) -> connection.zSetCommands().zRange(key, from, to)));
	}

	private List<String> reverseMembers(byte[] key, long count) {
		return strings(redis((connection) -> connection.zSetCommands().zRevRange(key, 0, count - 1)));
	}

	private @Nullable List<Object> run(LuaScript script, byte[][] keys, byte[]... args) {
		return redis((connection) -> script.run(connection, keys, args));
	}

	/**
	 * Runs Redis work on a connection, through the circuit breaker: while Redis is known
	 * to be down it fails at once instead of waiting for a timeout.
	 */
	private <T> @Nullable T redis(Function<RedisConnection, @Nullable T> work) {
		return this.circuitBreaker.call(() -> {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return work.apply(connection);
			}
		});
	}

	private SessionStats stats(String sessionId, List<Object> reply, int from) {
		Function<Integer, String> at = (i) -> string(reply, from + i);
		String tenant = at.apply(0);
		String user = at.apply(1);
		String reason = at.apply(3);
		String ended = at.apply(6);
		return new SessionStats(sessionId, tenant.isEmpty() ? null : tenant.substring(2), user.isEmpty() ? null : user,
				SessionStatus.valueOf(at.apply(2)), reason.isEmpty() ? null : reason,
				instant(Long.parseLong(at.apply(4))), instant(Long.parseLong(at.apply(5))),
				ended.isEmpty() ? null : instant(Long.parseLong(ended)), Integer.parseInt(at.apply(7)),
				Long.parseLong(at.apply(8)), Long.parseLong(at.apply(9)), Long.parseLong(at.apply(10)),
				Duration.ofNanos(Long.parseLong(at.apply(11))), Duration.ofNanos(Long.parseLong(at.apply(12))));
	}

	private static Map<String, String> fields(List<?> record) {
		Map<String, String> fields = new java.util.HashMap<>();
		for (int i = 0; i + 1 < record.size(); i += 2) {
			fields.put(new String((byte[]) record.get(i), StandardCharsets.UTF_8),
					new String((byte[]) record.get(i + 1), StandardCharsets.UTF_8));
		}
		return fields;
	}

	private static List<String> strings(@Nullable Set<byte[]> values) {
		List<String> result = new ArrayList<>();
		if (values != null) {
			values.forEach((value) -> result.add(new String(value, StandardCharsets.UTF_8)));
		}
		return result;
	}

	private static String string(List<Object> reply, int index) {
		Object value = reply.get(index);
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(value);
	}

	private static long number(List<Object> reply, int index) {
		Object value = reply.get(index);
		if (value instanceof Number number) {
			return number.longValue();
		}
		return Long.parseLong(string(reply, index));
	}

	private static String tenant(@Nullable String tenant) {
		return (tenant != null) ? "t:" + tenant : "";
	}

	private static String member(String sessionId, String tenant) {
		return sessionId + ' ' + tenant;
	}

	private static String sessionIdOf(String member) {
		int space = member.indexOf(' ');
		return (space >= 0) ? member.substring(0, space) : member;
	}

	private static String tenantOfMember(String member) {
		int space = member.indexOf(' ');
		return (space >= 0) ? member.substring(space + 1) : "";
	}

	private static byte[][] keys(byte[]... keys) {
		return keys;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] number(long value) {
		return bytes(Long.toString(value));
	}

	private static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
	}

	private static Instant instant(long micros) {
		return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
	}

	private static Duration ceilSeconds(long micros) {
		return Duration.ofSeconds((micros + 999_999L) / 1_000_000L);
	}

	private static String newLeaseId() {
		byte[] random = new byte[12];
		RANDOM.nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	private static void pause(int attempt) {
		try {
			Thread.sleep(2L * attempt);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
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
