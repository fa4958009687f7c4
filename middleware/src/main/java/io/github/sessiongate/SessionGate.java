package io.github.sessiongate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import io.github.sessiongate.internal.SessionGateCore;
import io.github.sessiongate.events.SessionGateListener;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.MetadataPolicy;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.web.ClientIpPolicy;
import io.github.sessiongate.web.ClientIpResolver;
import io.github.sessiongate.web.HeaderValueResolver;
import io.github.sessiongate.web.InvalidRequestValueException;
import io.github.sessiongate.web.PathPatterns;
import io.github.sessiongate.web.ProblemJsonRejectionHandler;
import io.github.sessiongate.web.RejectionHandler;
import io.github.sessiongate.web.RequestValueResolver;
import io.github.sessiongate.web.SessionGateFilter;
import io.github.sessiongate.web.SessionIdValidator;
import io.github.sessiongate.web.StandaloneSessionGateFilter;
import io.github.sessiongate.web.StoreFailureFilter;
import io.github.sessiongate.web.TrustedProxyClientIpResolver;
import io.github.sessiongate.web.UserIdResolver;
import io.github.sessiongate.web.ValidatingHttpSessionIdResolver;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.HttpSessionIdResolver;

/**
 * An assembled SessionGate: the ledger, the limits, the resolvers and the filter, built
 * around a Spring Session {@link SessionRepository}.
 *
 * <p>
 * In a plain servlet app (Jetty, no Spring Boot) register the one filter it returns; it
 * performs Spring Session's request wrapping and the gate's work: <pre>{@code
 * SessionGate gate = SessionGate.builder(new MapSessionRepository(new ConcurrentHashMap<>()))
 *         .limits(SessionLimits.builder().maxConcurrentRequestsPerSession(4).maxActiveRequests(200).build())
 *         .creationPolicy(CreationPolicy.ALWAYS)
 *         .excludedPaths("/health", "/static/**")
 *         .build();
 * context.addFilter(new FilterHolder(gate.filter()), "/*", EnumSet.allOf(DispatcherType.class));
 * }</pre> With Spring Boot the starter builds the gate and registers
 * {@link #gateFilter()} after Spring Session's own filter. {@link #admin()} lists and
 * ends sessions; close the gate to stop its sweeper.
 *
 * @author SessionGate team
 */
public final class SessionGate implements AutoCloseable {

	/** Default interval between sweeps of expired state. */
	public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(30);

	private final SessionRepository<? extends Session> repository;

	private final SessionGateCore core;

	private final CreationPolicy creationPolicy;

	private final ClientIpResolver clientIpResolver;

	private final @Nullable RequestValueResolver tenantResolver;

	private final @Nullable RequestValueResolver deviceIdResolver;

	private final UserIdResolver userIdResolver;

	private final RejectionHandler rejectionHandler;

	private final SessionIdValidator sessionIdValidator;

	private final HttpSessionIdResolver httpSessionIdResolver;

	private final SessionGateAdmin admin;

	private final SessionInventory inventory;

	private final SessionGateFilter gateFilter;

	private final StandaloneSessionGateFilter standaloneFilter;

	private SessionGate(Builder builder) {
		this.repository = builder.repository;
		SessionLedger ledger = (builder.ledger != null) ? builder.ledger
				: new InMemorySessionLedger(builder.clock, builder.historyRetention);
		this.core = new SessionGateCore(this.repository, ledger, builder.limits, builder.clock,
				builder.storeFailurePolicy, builder.sweepInterval, builder.streamCheckInterval, builder.keptMetadata);
		if (this.repository instanceof GuardedSessionRepository<?> guarded) {
			guarded.setFailureListener(this.core::storeFailed);
		}
		this.creationPolicy = builder.creationPolicy;
		this.clientIpResolver = (builder.clientIpResolver != null) ? builder.clientIpResolver
				: TrustedProxyClientIpResolver.of(builder.trustedProxies.toArray(String[]::new));
		this.tenantResolver = builder.tenantResolver;
		this.deviceIdResolver = builder.deviceIdResolver;
		this.userIdResolver = builder.userIdResolver;
		this.rejectionHandler = builder.rejectionHandler;
		this.sessionIdValidator = builder.sessionIdValidator;
		this.httpSessionIdResolver = new ValidatingHttpSessionIdResolver(builder.httpSessionIdResolver,
				this.sessionIdValidator, (this.tenantResolver != null) ? this::belongsToRequestTenant : null);
		builder.listeners.forEach(this.core.events()::addListener);
		this.admin = new SessionGateAdmin(this.core, this.sessionIdValidator);
		this.inventory = new LedgerSessionInventory(this.core);
		this.gateFilter = new SessionGateFilter(this.core,
				new SessionGateFilter.Config(this.clientIpResolver, this.tenantResolver, this.deviceIdResolver,
						this.userIdResolver, this.rejectionHandler, this.creationPolicy,
						PathPatterns.of(builder.excludedPaths), builder.rateLimitHeaders
								? SessionGateFilter.Config.rateLimitPolicy(builder.limits.rate()) : null,
						builder.inventoryClientIp, PathPatterns.of(builder.streamPaths)));
		this.standaloneFilter = new StandaloneSessionGateFilter(this.repository, this.httpSessionIdResolver,
				this.gateFilter, storeFailureFilter());
	}

	/**
	 * A new guard of the store-failure policy, to register before Spring Session's filter
	 * ({@link StoreFailureFilter#DEFAULT_ORDER}) when that filter is registered
	 * separately (the starter does); {@link #filter()} already includes one. It also
	 * opens the request's scope for a ledger that keeps per-request state, which lets
	 * SessionGate's own Redis session repository answer Spring Session's repeated lookups
	 * of a request's session without a round trip.
	 * @return the filter
	 */
	public StoreFailureFilter storeFailureFilter() {
		return new StoreFailureFilter(this.rejectionHandler, this.core);
	}

	/**
	 * Starts building a gate around a session repository.
	 * @param repository where sessions live (e.g. {@code MapSessionRepository},
	 * {@code RedisSessionRepository})
	 * @return a builder
	 */
	public static Builder builder(SessionRepository<? extends Session> repository) {
		return new Builder(repository);
	}

	/**
	 * The one filter for plain servlet apps: Spring Session's wrapping plus the gate.
	 * Register it for all dispatcher types (only the original request is gated; the other
	 * dispatches see its context).
	 * @return the filter
	 */
	public Filter filter() {
		return this.standaloneFilter;
	}

	/**
	 * The gate filter alone, for apps where Spring Session's
	 * {@code SessionRepositoryFilter} is registered separately (Spring Boot); it must run
	 * after that filter.
	 * @return the gate filter
	 */
	public SessionGateFilter gateFilter() {
		return this.gateFilter;
	}

	/**
	 * The admin view: find, list and end sessions; the node's counts.
	 * @return the admin API
	 */
	public SessionGateAdmin admin() {
		return this.admin;
	}

	/**
	 * The users' view of their own sessions: list them, end one, end all others.
	 * @return the inventory
	 */
	public SessionInventory inventory() {
		return this.inventory;
	}

	/**
	 * Registers a listener for gate events.
	 * @param listener the listener
	 */
	public void addListener(SessionGateListener listener) {
		this.core.events().addListener(listener);
	}

	/**
	 * Binds a user to the request's session, typically right after a successful login:
	 * the session id is rotated first (session fixation protection; the ledger's state,
	 * history and index follow the new id), then the sessions-per-user limit is applied
	 * atomically. Creates a session if the request has none. <pre>{@code
	 * BindResult.Outcome outcome = gate.bindUser(request, "alice");
	 * if (outcome == BindResult.Outcome.REJECTED) {
	 *     response.sendError(409); // or refuse the login your usual way
	 * }
	 * }</pre>
	 * @param request the current request
	 * @param userId the user id (1 to 256 characters)
	 * @return {@code BOUND}, {@code ALREADY_BOUND}, {@code REJECTED} (the user is at the
	 * limit with policy reject-new; the session stays anonymous) or
	 * {@code UNKNOWN_SESSION} (the session could not be tracked)
	 * @throws IllegalArgumentException for an empty or oversized user id
	 */
	public BindResult.Outcome bindUser(HttpServletRequest request, String userId) {
		return bindUser(request, userId, true);
	}

	/**
	 * Binds a user to the request's session, rotating its id first only when asked: pass
	 * {@code false} when a security framework rotates the id itself at login (Spring
	 * Security's session fixation protection does; tell the gate through
	 * {@link #sessionIdChanged}). Works on a request the gate filter has not seen yet (a
	 * login handled by a filter before the gate): the session is tracked from that login
	 * on, the login counted as its first request.
	 * @param request the current request
	 * @param userId the user id (1 to 256 characters)
	 * @param rotateSessionId whether to rotate the session id first
	 * @return the outcome, as for {@link #bindUser(HttpServletRequest, String)}
	 * @throws IllegalArgumentException for an empty or oversized user id
	 */
	public BindResult.Outcome bindUser(HttpServletRequest request, String userId, boolean rotateSessionId) {
		Objects.requireNonNull(request, "request cannot be null");
		Objects.requireNonNull(userId, "userId cannot be null");
		if (userId.isEmpty() || userId.length() > UserIdResolver.MAX_USER_ID_LENGTH) {
			throw new IllegalArgumentException(
					"userId must have 1 to " + UserIdResolver.MAX_USER_ID_LENGTH + " characters");
		}
		return this.gateFilter.bindUser(request, userId, rotateSessionId);
	}

	/**
	 * Tells the gate that a session's id was rotated outside a gated request (for example
	 * by Spring Security's session fixation protection at login), so the session's stats,
	 * history and user index follow it. Malformed ids are ignored.
	 * @param oldId the previous id
	 * @param newId the new id
	 * @return {@code true} if the gate knew the old id
	 */
	public boolean sessionIdChanged(String oldId, String newId) {
		if (!this.sessionIdValidator.isValid(oldId) || !this.sessionIdValidator.isValid(newId)) {
			return false;
		}
		return this.core.sessionIdChanged(oldId, newId);
	}

	private boolean belongsToRequestTenant(HttpServletRequest request, String sessionId) {
		RequestValueResolver resolver = Objects.requireNonNull(this.tenantResolver);
		String tenant;
		try {
			tenant = resolver.resolve(request);
		}
		catch (InvalidRequestValueException ex) {
			return false; // the gate answers 400 for this request anyway
		}
		boolean belongs;
		try {
			belongs = this.core.ledger().belongsToTenant(sessionId, tenant);
		}
		catch (RuntimeException ex) {
			// tenant isolation cannot be verified: do not hand out the session
			this.core.storeFailed(StoreOperation.TENANT_CHECK, ex);
			return false;
		}
		if (!belongs) {
			this.core.tenantMismatch(sessionId, tenant, this.clientIpResolver.resolveClientIp(request));
		}
		return belongs;
	}

	/**
	 * Records a failed call to the session store made on the gate's behalf, for
	 * integrations that cannot hand the gate their repository directly (the starter's
	 * guarded Redis repository): counted in {@code sessiongate.store.errors}, logged once
	 * per burst, published as a {@code StoreFailureEvent}.
	 * @param operation the operation, e.g. {@link StoreOperation#SESSION_LOAD}
	 * @param error the failure
	 */
	public void reportStoreFailure(StoreOperation operation, RuntimeException error) {
		this.core.storeFailed(Objects.requireNonNull(operation, "operation cannot be null"),
				Objects.requireNonNull(error, "error cannot be null"));
	}

	/**
	 * Requests on this node that presented another tenant's session id (the id was
	 * ignored).
	 * @return the count since start
	 */
	public long tenantMismatches() {
		return this.core.tenantMismatches();
	}

	/**
	 * Runs one sweep now: ends idle and over-age sessions (publishing their events and
	 * deleting them from the session repository) and forgets expired history. The gate
	 * also runs this on its own schedule.
	 * @return the sessions this sweep ended
	 */
	public List<SessionStats> sweep() {
		return this.core.sweep();
	}

	/**
	 * Rejections on this node since start (node-local).
	 * @param limit the limit
	 * @return the count
	 */
	public long rejections(Limit limit) {
		return this.core.rejections(limit);
	}

	/**
	 * Closes every stream open on this node (server-sent events and long polls complete,
	 * WebSockets close with 1008): call it when the server begins to stop, so that a
	 * graceful shutdown does not wait for streams and their clients reconnect elsewhere.
	 * The sessions live on. The starter calls it when the application context closes.
	 */
	public void closeStreams() {
		this.core.closeStreams();
	}

	/**
	 * The streams open on this node.
	 * @return the count
	 */
	public int activeStreams() {
		return this.core.activeStreams();
	}

	/**
	 * The requests in progress on this node.
	 * @return the count
	 */
	public int activeRequests() {
		return this.core.activeRequests();
	}

	/**
	 * The session repository the gate was built around (as given, or guarded).
	 * @return the repository
	 */
	public SessionRepository<? extends Session> repository() {
		return this.repository;
	}

	/**
	 * The ledger that keeps the sessions' live state.
	 * @return the ledger
	 */
	public SessionLedger ledger() {
		return this.core.ledger();
	}

	/**
	 * The limits the gate enforces.
	 * @return the limits
	 */
	public SessionLimits limits() {
		return this.core.limits();
	}

	/**
	 * When the gate creates sessions.
	 * @return the creation policy
	 */
	public CreationPolicy creationPolicy() {
		return this.creationPolicy;
	}

	/**
	 * How the gate finds the client's address.
	 * @return the resolver
	 */
	public ClientIpResolver clientIpResolver() {
		return this.clientIpResolver;
	}

	/**
	 * How the gate reads the tenant.
	 * @return the resolver, {@code null} without tenants
	 */
	public @Nullable RequestValueResolver tenantResolver() {
		return this.tenantResolver;
	}

	/**
	 * How the gate reads the device id.
	 * @return the resolver, {@code null} without device ids
	 */
	public @Nullable RequestValueResolver deviceIdResolver() {
		return this.deviceIdResolver;
	}

	/**
	 * How the gate finds the authenticated user.
	 * @return the resolver
	 */
	public UserIdResolver userIdResolver() {
		return this.userIdResolver;
	}

	/**
	 * How the gate writes refusals (also used by integrations that refuse a request on
	 * the gate's behalf, such as the starter's login failure handler).
	 * @return the handler
	 */
	public RejectionHandler rejectionHandler() {
		return this.rejectionHandler;
	}

	/**
	 * The session id resolver (cookie by default) wrapped with id validation; Spring
	 * Session's filter must use it so malformed ids never reach the repository.
	 * @return the validating resolver
	 */
	public HttpSessionIdResolver httpSessionIdResolver() {
		return this.httpSessionIdResolver;
	}

	/**
	 * What requests get when the store fails.
	 * @return the policy
	 */
	public StoreFailurePolicy storeFailurePolicy() {
		return this.core.storeFailurePolicy();
	}

	/**
	 * Stops the sweeper and closes the ledger.
	 */
	@Override
	public void close() {
		this.core.close();
	}

	/**
	 * Builds a {@link SessionGate}. Every setter validates its argument.
	 */
	public static final class Builder {

		private final SessionRepository<? extends Session> repository;

		private @Nullable SessionLedger ledger;

		private SessionLimits limits = SessionLimits.none();

		private CreationPolicy creationPolicy = CreationPolicy.IF_REQUIRED;

		private List<String> excludedPaths = List.of();

		private List<String> streamPaths = List.of();

		private Duration streamCheckInterval = SessionGateCore.DEFAULT_STREAM_CHECK_INTERVAL;

		private List<String> trustedProxies = List.of();

		private @Nullable ClientIpResolver clientIpResolver;

		private @Nullable RequestValueResolver tenantResolver;

		private @Nullable RequestValueResolver deviceIdResolver;

		private UserIdResolver userIdResolver = UserIdResolver.principal();

		private RejectionHandler rejectionHandler = new ProblemJsonRejectionHandler();

		private SessionIdValidator sessionIdValidator = SessionIdValidator.defaults();

		private HttpSessionIdResolver httpSessionIdResolver = new CookieHttpSessionIdResolver();

		private StoreFailurePolicy storeFailurePolicy = StoreFailurePolicy.ALLOW;

		private Clock clock = Clock.systemUTC();

		private Duration historyRetention = InMemorySessionLedger.DEFAULT_HISTORY_RETENTION;

		private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;

		private boolean rateLimitHeaders = true;

		private ClientIpPolicy inventoryClientIp = ClientIpPolicy.NETWORK;

		private MetadataPolicy keptMetadata = MetadataPolicy.none();

		private final List<SessionGateListener> listeners = new ArrayList<>();

		private Builder(SessionRepository<? extends Session> repository) {
			this.repository = Objects.requireNonNull(repository, "repository cannot be null");
		}

		/**
		 * Uses another ledger (e.g. the Redis ledger) instead of the in-memory one.
		 * @param ledger the ledger
		 * @return this builder
		 */
		public Builder ledger(SessionLedger ledger) {
			this.ledger = Objects.requireNonNull(ledger, "ledger cannot be null");
			return this;
		}

		public Builder limits(SessionLimits limits) {
			this.limits = Objects.requireNonNull(limits, "limits cannot be null");
			return this;
		}

		public Builder creationPolicy(CreationPolicy creationPolicy) {
			this.creationPolicy = Objects.requireNonNull(creationPolicy, "creationPolicy cannot be null");
			return this;
		}

		/**
		 * Paths that bypass the gate entirely (no tracking, no limits, no context).
		 * @param patterns exact paths, {@code /prefix/**} or {@code *.ext}
		 * @return this builder
		 */
		public Builder excludedPaths(String... patterns) {
			return excludedPaths(Arrays.asList(patterns));
		}

		public Builder excludedPaths(Collection<String> patterns) {
			PathPatterns.of(patterns); // validate now, with a clear message
			this.excludedPaths = List.copyOf(patterns);
			return this;
		}

		/**
		 * Paths whose requests are streams (e.g. {@code StreamingResponseBody} downloads,
		 * {@code DeferredResult} long polls), matched as {@link #excludedPaths} are.
		 * Requests that accept {@code text/event-stream} and WebSocket upgrades are
		 * streams without being listed. Streams count toward
		 * {@link SessionLimits#maxStreamsPerSession()} and
		 * {@link SessionLimits#maxActiveStreams()} instead of the request limits.
		 * @param patterns exact paths, {@code /prefix/**} or {@code *.ext}
		 * @return this builder
		 */
		public Builder streamPaths(String... patterns) {
			return streamPaths(Arrays.asList(patterns));
		}

		public Builder streamPaths(Collection<String> patterns) {
			PathPatterns.of(patterns); // validate now, with a clear message
			this.streamPaths = List.copyOf(patterns);
			return this;
		}

		/**
		 * How often this node renews its open streams (default 2 seconds): each renewal
		 * checks that the stream's session is live and keeps it alive. A stream whose
		 * session was ended on another node closes within this interval;
		 * {@link Duration#ZERO} turns renewals off (then only ends seen by this node
		 * close streams, and open streams no longer keep their sessions alive).
		 * @param interval the interval
		 * @return this builder
		 */
		public Builder streamCheckInterval(Duration interval) {
			Objects.requireNonNull(interval, "streamCheckInterval cannot be null");
			if (interval.isNegative()) {
				throw new IllegalArgumentException("streamCheckInterval must not be negative, was " + interval);
			}
			this.streamCheckInterval = interval;
			return this;
		}

		/**
		 * Proxies whose {@code Forwarded}/{@code X-Forwarded-For} headers are believed.
		 * @param cidrs CIDRs such as {@code 10.0.0.0/8}
		 * @return this builder
		 */
		public Builder trustedProxies(String... cidrs) {
			return trustedProxies(Arrays.asList(cidrs));
		}

		public Builder trustedProxies(Collection<String> cidrs) {
			TrustedProxyClientIpResolver.of(cidrs.toArray(String[]::new)); // validate now
			this.trustedProxies = List.copyOf(cidrs);
			return this;
		}

		public Builder clientIpResolver(ClientIpResolver clientIpResolver) {
			this.clientIpResolver = Objects.requireNonNull(clientIpResolver, "clientIpResolver cannot be null");
			return this;
		}

		/**
		 * Reads the tenant from a header (validated: at most 64 of
		 * {@code A-Z a-z 0-9 . _ : -}).
		 * @param headerName e.g. {@code X-Tenant-Id}
		 * @return this builder
		 */
		public Builder tenantHeader(String headerName) {
			return tenantResolver(HeaderValueResolver.of(headerName));
		}

		public Builder tenantResolver(RequestValueResolver tenantResolver) {
			this.tenantResolver = Objects.requireNonNull(tenantResolver, "tenantResolver cannot be null");
			return this;
		}

		/**
		 * Reads the device id from a header (validated like the tenant).
		 * @param headerName e.g. {@code X-Device-Id}
		 * @return this builder
		 */
		public Builder deviceHeader(String headerName) {
			return deviceIdResolver(HeaderValueResolver.of(headerName));
		}

		public Builder deviceIdResolver(RequestValueResolver deviceIdResolver) {
			this.deviceIdResolver = Objects.requireNonNull(deviceIdResolver, "deviceIdResolver cannot be null");
			return this;
		}

		public Builder userIdResolver(UserIdResolver userIdResolver) {
			this.userIdResolver = Objects.requireNonNull(userIdResolver, "userIdResolver cannot be null");
			return this;
		}

		public Builder rejectionHandler(RejectionHandler rejectionHandler) {
			this.rejectionHandler = Objects.requireNonNull(rejectionHandler, "rejectionHandler cannot be null");
			return this;
		}

		public Builder sessionIdValidator(SessionIdValidator sessionIdValidator) {
			this.sessionIdValidator = Objects.requireNonNull(sessionIdValidator, "sessionIdValidator cannot be null");
			return this;
		}

		/**
		 * How session ids travel (cookie by default; e.g.
		 * {@code HeaderHttpSessionIdResolver.xAuthToken()}). Ids are validated either
		 * way.
		 * @param resolver the resolver
		 * @return this builder
		 */
		public Builder httpSessionIdResolver(HttpSessionIdResolver resolver) {
			this.httpSessionIdResolver = Objects.requireNonNull(resolver, "httpSessionIdResolver cannot be null");
			return this;
		}

		public Builder storeFailurePolicy(StoreFailurePolicy policy) {
			this.storeFailurePolicy = Objects.requireNonNull(policy, "storeFailurePolicy cannot be null");
			return this;
		}

		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock cannot be null");
			return this;
		}

		/**
		 * How long ended sessions stay readable (in-memory ledger built by this builder).
		 * @param retention the retention
		 * @return this builder
		 */
		public Builder historyRetention(Duration retention) {
			Objects.requireNonNull(retention, "historyRetention cannot be null");
			if (retention.isNegative()) {
				throw new IllegalArgumentException("historyRetention must not be negative, was " + retention);
			}
			this.historyRetention = retention;
			return this;
		}

		/**
		 * How often the sweeper runs; {@link Duration#ZERO} turns it off (call
		 * {@link SessionGate#sweep()} yourself then).
		 * @param interval the interval
		 * @return this builder
		 */
		public Builder sweepInterval(Duration interval) {
			Objects.requireNonNull(interval, "sweepInterval cannot be null");
			if (interval.isNegative()) {
				throw new IllegalArgumentException("sweepInterval must not be negative, was " + interval);
			}
			this.sweepInterval = interval;
			return this;
		}

		/**
		 * How much of the client address a session's inventory keeps (default
		 * {@link ClientIpPolicy#NETWORK}: IPv4 /24, IPv6 /48).
		 * @param policy the policy
		 * @return this builder
		 */
		public Builder inventoryClientIp(ClientIpPolicy policy) {
			this.inventoryClientIp = Objects.requireNonNull(policy, "inventoryClientIp cannot be null");
			return this;
		}

		/**
		 * Which of the application's {@code SessionContext} metadata sessions keep in the
		 * ledger (default: none). When a gated request leaves, the metadata of the
		 * context the application left on the request thread
		 * ({@link SessionContext#withMetadata} then
		 * {@link SessionContextHolder#setContext}) is bounded by the policy and, when
		 * that differs from what this node last recorded for the session, recorded: one
		 * more ledger write (a Redis round trip) per change. Kept metadata shows in
		 * {@link SessionStats#metadata()}, {@link SessionInfo#metadata()} and the admin
		 * view, lives as long as the session's record and replaces what was kept before.
		 * Not recorded for requests that went async. <pre>{@code
		 * builder.keptMetadata(MetadataPolicy.keep("plan", "region").withMaxValueLength(64))
		 * }</pre>
		 * @param policy the keys kept and their bounds
		 * @return this builder
		 */
		public Builder keptMetadata(MetadataPolicy policy) {
			this.keptMetadata = Objects.requireNonNull(policy, "keptMetadata cannot be null");
			return this;
		}

		/**
		 * Whether to send the IETF {@code RateLimit} / {@code RateLimit-Policy} headers
		 * when a rate limit is configured (default {@code true}).
		 * @param enabled {@code false} to leave them out
		 * @return this builder
		 */
		public Builder rateLimitHeaders(boolean enabled) {
			this.rateLimitHeaders = enabled;
			return this;
		}

		public Builder listener(SessionGateListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener cannot be null"));
			return this;
		}

		public SessionGate build() {
			return new SessionGate(this);
		}

	}

}
