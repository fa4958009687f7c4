package io.github.sessiongate.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.ledger.MetadataPolicy;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import io.github.sessiongate.web.ClientIpPolicy;
import io.github.sessiongate.web.PathPatterns;
import io.github.sessiongate.web.TrustedProxyClientIpResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * The {@code sessiongate.*} configuration properties. Every value is checked when the
 * application starts; an unacceptable one stops the start-up with a message that names
 * the property. <pre>
 * sessiongate.limits.max-concurrent-requests-per-session=4
 * sessiongate.limits.rate.capacity=20
 * sessiongate.limits.rate.refill-period=1s
 * sessiongate.excluded-paths=/actuator/**,/static/**
 * </pre>
 *
 * @author SessionGate team
 */
@ConfigurationProperties("sessiongate")
public class SessionGateProperties implements InitializingBean {

	private static final Pattern API_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

	private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

	/** The property prefix. */
	public static final String PREFIX = "sessiongate";

	/**
	 * Whether SessionGate is enabled. When false nothing of SessionGate is configured.
	 */
	private boolean enabled = true;

	/**
	 * Where the ledger keeps per-session state: 'auto' uses Redis when Spring Data Redis
	 * and a RedisConnectionFactory are present (and Spring Session Data Redis, when its
	 * repository stores the sessions) and memory otherwise, 'memory' and 'redis' force
	 * one.
	 */
	private Store store = Store.AUTO;

	/**
	 * When the gate creates a session for a request without one: 'if-required' (only
	 * sessions the application creates), 'always' (every tracked request gets one) or
	 * 'never'.
	 */
	private CreationPolicy creationPolicy = CreationPolicy.IF_REQUIRED;

	/**
	 * Paths that bypass the gate entirely (no tracking, no limits, no context): exact
	 * paths, '/prefix/**' or '*.ext'.
	 */
	private List<String> excludedPaths = new ArrayList<>();

	/**
	 * Whether Actuator's endpoints (under 'management.endpoints.web.base-path', default
	 * '/actuator') bypass the gate, so that health probes and metric scrapes are never
	 * limited, counted or given a session.
	 */
	private boolean excludeActuator = true;

	/**
	 * Order of the gate filter. It must run after Spring Session's
	 * SessionRepositoryFilter and, to know the authenticated user, after Spring
	 * Security's filter chain (-100).
	 */
	private int filterOrder = -50;

	/**
	 * What happens to a request when the store (Redis) cannot be reached, for the ledger
	 * and, with the Redis store, for Spring Session's own loading and saving: 'allow'
	 * serves it untracked (a session that cannot be loaded is treated as none; counted
	 * and logged), 'reject' answers 503.
	 */
	private StoreFailurePolicy onStoreFailure = StoreFailurePolicy.ALLOW;

	/**
	 * How often the sweeper ends sessions idle past their timeout or past the absolute
	 * timeout (each gets its end event and history record) and forgets expired history.
	 * Every node sweeps; a session still ends exactly once. A session ends at most this
	 * long after it expired.
	 */
	private Duration sweepInterval = Duration.ofSeconds(30);

	private final Limits limits = new Limits();

	private final Timeouts timeouts = new Timeouts();

	private final Errors errors = new Errors();

	private final History history = new History();

	private final ClientIp clientIp = new ClientIp();

	private final Tenant tenant = new Tenant();

	private final Device device = new Device();

	private final Redis redis = new Redis();

	private final Inventory inventory = new Inventory();

	private final Streams streams = new Streams();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Store getStore() {
		return this.store;
	}

	public void setStore(Store store) {
		this.store = store;
	}

	public CreationPolicy getCreationPolicy() {
		return this.creationPolicy;
	}

	public void setCreationPolicy(CreationPolicy creationPolicy) {
		this.creationPolicy = creationPolicy;
	}

	public List<String> getExcludedPaths() {
		return this.excludedPaths;
	}

	public void setExcludedPaths(List<String> excludedPaths) {
		this.excludedPaths = excludedPaths;
	}

	public boolean isExcludeActuator() {
		return this.excludeActuator;
	}

	public void setExcludeActuator(boolean excludeActuator) {
		this.excludeActuator = excludeActuator;
	}

	public int getFilterOrder() {
		return this.filterOrder;
	}

	public void setFilterOrder(int filterOrder) {
		this.filterOrder = filterOrder;
	}

	public StoreFailurePolicy getOnStoreFailure() {
		return this.onStoreFailure;
	}

	public void setOnStoreFailure(StoreFailurePolicy onStoreFailure) {
		this.onStoreFailure = onStoreFailure;
	}

	public Duration getSweepInterval() {
		return this.sweepInterval;
	}

	public void setSweepInterval(Duration sweepInterval) {
		this.sweepInterval = sweepInterval;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public Timeouts getTimeouts() {
		return this.timeouts;
	}

	public Errors getErrors() {
		return this.errors;
	}

	public History getHistory() {
		return this.history;
	}

	public ClientIp getClientIp() {
		return this.clientIp;
	}

	public Tenant getTenant() {
		return this.tenant;
	}

	public Device getDevice() {
		return this.device;
	}

	public Inventory getInventory() {
		return this.inventory;
	}

	public Streams getStreams() {
		return this.streams;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * Checks every value and fails with the property's name when one is unacceptable.
	 * @throws InvalidConfigurationPropertyValueException for the first bad value
	 */
	@Override
	public void afterPropertiesSet() {
		if (this.filterOrder <= SessionRepositoryFilter.DEFAULT_ORDER) {
			throw invalid("filter-order", this.filterOrder,
					"the gate must run after Spring Session's SessionRepositoryFilter (order "
							+ SessionRepositoryFilter.DEFAULT_ORDER + ")");
		}
		check("excluded-paths", this.excludedPaths, () -> PathPatterns.of(this.excludedPaths));
		String apiPath = this.inventory.apiPath;
		if (apiPath != null && !API_PATH.matcher(apiPath).matches()) {
			throw invalid("inventory.api-path", apiPath,
					"must be a path such as /account/sessions (segments of letters, digits and . _ ~ -)");
		}
		check("inventory.metadata.keys", this.inventory.metadata.keys,
				() -> MetadataPolicy.keep(this.inventory.metadata.keys));
		check("inventory.metadata.max-value-length", this.inventory.metadata.maxValueLength,
				() -> MetadataPolicy.none().withMaxValueLength(this.inventory.metadata.maxValueLength));
		notNegative("limits.max-concurrent-requests-per-session", this.limits.maxConcurrentRequestsPerSession);
		notNegative("limits.max-active-requests", this.limits.maxActiveRequests);
		notNegative("limits.max-sessions-per-user", this.limits.maxSessionsPerUser);
		notNegative("limits.max-sessions", this.limits.maxSessions);
		notNegative("limits.max-streams-per-session", this.limits.maxStreamsPerSession);
		notNegative("limits.max-active-streams", this.limits.maxActiveStreams);
		check("streams.paths", this.streams.paths, () -> PathPatterns.of(this.streams.paths));
		positive("streams.check-interval", this.streams.checkInterval,
				"open streams must be renewed to keep their sessions alive and to close when they end");
		notNegative("limits.rate.capacity", this.limits.rate.capacity);
		positive("limits.rate.refill-period", this.limits.rate.refillPeriod);
		if (this.timeouts.absolute != null) {
			positive("timeouts.absolute", this.timeouts.absolute);
		}
		FailSessionAfter failSessionAfter = this.errors.failSessionAfter;
		notNegative("errors.fail-session-after.min-requests", failSessionAfter.minRequests);
		if (!(failSessionAfter.maxErrorRatio >= 0.0 && failSessionAfter.maxErrorRatio < 1.0)) {
			throw invalid("errors.fail-session-after.max-error-ratio", failSessionAfter.maxErrorRatio,
					"must be at least 0 and less than 1");
		}
		positive("sweep-interval", this.sweepInterval,
				"without sweeps idle sessions would never end (no end event, no history record)");
		positive("history.retention", this.history.retention,
				"every ended session keeps a history record for this long");
		check("client-ip.trusted-proxies", this.clientIp.trustedProxies,
				() -> TrustedProxyClientIpResolver.of(this.clientIp.trustedProxies.toArray(String[]::new)));
		headerName("tenant.header", this.tenant.header);
		headerName("device.header", this.device.header);
		if (!this.redis.keyPrefix.matches("[A-Za-z0-9:._-]{1,64}")) {
			throw invalid("redis.key-prefix", this.redis.keyPrefix,
					"must be 1 to 64 of A-Z a-z 0-9 : . _ - (no braces: the ledger adds hash tags itself)");
		}
		if (this.store == Store.MEMORY && this.redis.sessionRepository == SessionRepositoryType.SESSIONGATE) {
			throw invalid("redis.session-repository", "sessiongate",
					"SessionGate's Redis session repository needs the Redis store, but sessiongate.store is memory");
		}
	}

	private static void check(String name, Object value, Runnable validation) {
		try {
			validation.run();
		}
		catch (IllegalArgumentException ex) {
			throw invalid(name, value, ex.getMessage());
		}
	}

	private static void headerName(String name, @Nullable String value) {
		if (value != null && !HEADER_NAME.matcher(value).matches()) {
			throw invalid(name, value, "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)");
		}
	}

	private static void notNegative(String name, long value) {
		if (value < 0) {
			throw invalid(name, value, "must not be negative (0 means no limit)");
		}
	}

	private static void positive(String name, Duration value) {
		positive(name, value, null);
	}

	private static void positive(String name, Duration value, @Nullable String why) {
		if (value.isNegative() || value.isZero()) {
			throw invalid(name, value, "must be a positive duration" + ((why != null) ? ": " + why : ""));
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, Object value,
			@Nullable String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + "." + name, value,
				(reason != null) ? reason : "invalid value");
	}

	/**
	 * Which store keeps the ledger's state.
	 */
	public enum Store {

		/**
		 * Redis when a connection factory is present (see {@link SessionRepositoryType}).
		 */
		AUTO,

		/** In memory, on this node only. */
		MEMORY,

		/** Redis, shared by every node. */
		REDIS

	}

	/**
	 * The limits the gate enforces; 0 means no limit.
	 */
	public static class Limits {

		/**
		 * Most requests one session may have in progress at once (429 beyond it); 0 for
		 * no limit.
		 */
		private int maxConcurrentRequestsPerSession;

		/**
		 * Most requests this node may have in progress at once (503 beyond it); 0 for no
		 * limit.
		 */
		private int maxActiveRequests;

		/**
		 * Most live sessions one user may have; 0 for no limit.
		 */
		private int maxSessionsPerUser;

		/**
		 * What happens when a user at 'max-sessions-per-user' binds another session:
		 * 'reject-new' refuses the bind (409 problem), 'end-oldest' ends the least
		 * recently active session.
		 */
		private SessionsPerUserPolicy sessionsPerUserPolicy = SessionsPerUserPolicy.REJECT_NEW;

		/**
		 * Most live sessions in total, per tenant (503 for new sessions beyond it); 0 for
		 * no limit.
		 */
		private long maxSessions;

		/**
		 * Most streams (server-sent events, WebSockets, paths in 'streams.paths') one
		 * session may have open at once (429 'session-streams' beyond it); 0 for no
		 * limit. Streams do not count toward 'max-concurrent-requests-per-session'.
		 */
		private int maxStreamsPerSession;

		/**
		 * Most streams this node may have open at once (503 'stream-capacity' beyond it);
		 * 0 for no limit. Streams do not count toward 'max-active-requests'.
		 */
		private int maxActiveStreams;

		private final Rate rate = new Rate();

		public int getMaxStreamsPerSession() {
			return this.maxStreamsPerSession;
		}

		public void setMaxStreamsPerSession(int maxStreamsPerSession) {
			this.maxStreamsPerSession = maxStreamsPerSession;
		}

		public int getMaxActiveStreams() {
			return this.maxActiveStreams;
		}

		public void setMaxActiveStreams(int maxActiveStreams) {
			this.maxActiveStreams = maxActiveStreams;
		}

		public int getMaxConcurrentRequestsPerSession() {
			return this.maxConcurrentRequestsPerSession;
		}

		public void setMaxConcurrentRequestsPerSession(int maxConcurrentRequestsPerSession) {
			this.maxConcurrentRequestsPerSession = maxConcurrentRequestsPerSession;
		}

		public int getMaxActiveRequests() {
			return this.maxActiveRequests;
		}

		public void setMaxActiveRequests(int maxActiveRequests) {
			this.maxActiveRequests = maxActiveRequests;
		}

		public int getMaxSessionsPerUser() {
			return this.maxSessionsPerUser;
		}

		public void setMaxSessionsPerUser(int maxSessionsPerUser) {
			this.maxSessionsPerUser = maxSessionsPerUser;
		}

		public SessionsPerUserPolicy getSessionsPerUserPolicy() {
			return this.sessionsPerUserPolicy;
		}

		public void setSessionsPerUserPolicy(SessionsPerUserPolicy sessionsPerUserPolicy) {
			this.sessionsPerUserPolicy = sessionsPerUserPolicy;
		}

		public long getMaxSessions() {
			return this.maxSessions;
		}

		public void setMaxSessions(long maxSessions) {
			this.maxSessions = maxSessions;
		}

		public Rate getRate() {
			return this.rate;
		}

	}

	/**
	 * The per-session request rate (a token bucket).
	 */
	public static class Rate {

		/**
		 * Size of each session's token bucket, the largest burst of requests (429 beyond
		 * it); 0 for no rate limit.
		 */
		private long capacity;

		/**
		 * Time to refill an empty bucket; the sustained rate is 'capacity' requests per
		 * this period.
		 */
		private Duration refillPeriod = Duration.ofSeconds(1);

		public long getCapacity() {
			return this.capacity;
		}

		public void setCapacity(long capacity) {
			this.capacity = capacity;
		}

		public Duration getRefillPeriod() {
			return this.refillPeriod;
		}

		public void setRefillPeriod(Duration refillPeriod) {
			this.refillPeriod = refillPeriod;
		}

	}

	/**
	 * Session timeouts beyond Spring Session's idle timeout.
	 */
	public static class Timeouts {

		/**
		 * Greatest age of a session whatever its activity; an older session is ended
		 * (EXPIRED, 'absolute-timeout'). Unset for none.
		 */
		private @Nullable Duration absolute;

		public @Nullable Duration getAbsolute() {
			return this.absolute;
		}

		public void setAbsolute(@Nullable Duration absolute) {
			this.absolute = absolute;
		}

	}

	/**
	 * The error policy.
	 */
	public static class Errors {

		private final FailSessionAfter failSessionAfter = new FailSessionAfter();

		public FailSessionAfter getFailSessionAfter() {
			return this.failSessionAfter;
		}

	}

	/**
	 * When a session with too many failed requests is ended (FAILED, reason
	 * 'error-rate').
	 */
	public static class FailSessionAfter {

		/**
		 * Finished requests a session needs before the error-rate policy judges it; 0
		 * turns the policy off.
		 */
		private long minRequests;

		/**
		 * Share of failed requests (exception or status 500 and above) a session may
		 * have, between 0 and 1 (exclusive); above it the session is ended as FAILED.
		 */
		private double maxErrorRatio = 0.5;

		public long getMinRequests() {
			return this.minRequests;
		}

		public void setMinRequests(long minRequests) {
			this.minRequests = minRequests;
		}

		public double getMaxErrorRatio() {
			return this.maxErrorRatio;
		}

		public void setMaxErrorRatio(double maxErrorRatio) {
			this.maxErrorRatio = maxErrorRatio;
		}

	}

	/**
	 * History of ended sessions.
	 */
	public static class History {

		/**
		 * How long ended sessions stay readable (admin API, Actuator endpoint).
		 */
		private Duration retention = Duration.ofMinutes(30);

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

	}

	/**
	 * How the client address is found.
	 */
	public static class ClientIp {

		/**
		 * CIDRs of proxies whose Forwarded and X-Forwarded-For headers are believed;
		 * those headers are ignored from anyone else.
		 */
		private List<String> trustedProxies = new ArrayList<>();

		public List<String> getTrustedProxies() {
			return this.trustedProxies;
		}

		public void setTrustedProxies(List<String> trustedProxies) {
			this.trustedProxies = trustedProxies;
		}

	}

	/**
	 * Tenant resolution.
	 */
	public static class Tenant {

		/**
		 * Request header carrying the tenant (e.g. X-Tenant-Id); unset for a single
		 * tenant. A session presented under another tenant is treated as no session.
		 */
		private @Nullable String header;

		public @Nullable String getHeader() {
			return this.header;
		}

		public void setHeader(@Nullable String header) {
			this.header = header;
		}

	}

	/**
	 * Device id resolution.
	 */
	public static class Device {

		/**
		 * Request header carrying the device id (e.g. X-Device-Id); unset for none.
		 */
		private @Nullable String header;

		public @Nullable String getHeader() {
			return this.header;
		}

		public void setHeader(@Nullable String header) {
			this.header = header;
		}

	}

	/**
	 * Streams: long-lived requests counted apart from ordinary ones.
	 */
	public static class Streams {

		/**
		 * Paths whose requests are streams (e.g. StreamingResponseBody downloads,
		 * DeferredResult long polls): exact paths, '/prefix/**' or '*.ext', matched
		 * against the path the container serves. Requests that accept 'text/event-stream'
		 * and WebSocket upgrades are streams without being listed.
		 */
		private List<String> paths = new ArrayList<>();

		/**
		 * How often each node renews its open streams: checks their sessions are live (a
		 * stream whose session ended on another node closes within this interval) and
		 * keeps those sessions from idling out.
		 */
		private Duration checkInterval = Duration.ofSeconds(2);

		public List<String> getPaths() {
			return this.paths;
		}

		public void setPaths(List<String> paths) {
			this.paths = paths;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

	}

	/**
	 * What a session's inventory keeps of where it comes from, and the users' API to it.
	 */
	public static class Inventory {

		/**
		 * How much of the client address a session keeps (shown to its user by the
		 * inventory, and to operators): full, network (IPv4 /24, IPv6 /48) or none.
		 */
		private ClientIpPolicy clientIp = ClientIpPolicy.NETWORK;

		/**
		 * Path of the REST API for the signed-in user's own sessions (e.g.
		 * /account/sessions); unset for none.
		 */
		private @Nullable String apiPath;

		/**
		 * The application's SessionContext metadata sessions keep.
		 */
		private final Metadata metadata = new Metadata();

		public ClientIpPolicy getClientIp() {
			return this.clientIp;
		}

		public void setClientIp(ClientIpPolicy clientIp) {
			this.clientIp = clientIp;
		}

		public @Nullable String getApiPath() {
			return this.apiPath;
		}

		public void setApiPath(@Nullable String apiPath) {
			this.apiPath = apiPath;
		}

		public Metadata getMetadata() {
			return this.metadata;
		}

		/**
		 * Which of the application's SessionContext metadata sessions keep.
		 */
		public static class Metadata {

			/**
			 * Metadata keys sessions keep in the ledger (at most 16, each 1 to 64 of A-Z
			 * a-z 0-9 . _ -), set by the application with SessionContext.withMetadata;
			 * empty for none.
			 */
			private List<String> keys = new ArrayList<>();

			/**
			 * Longest metadata value kept (1 to 1024 characters); longer values are cut.
			 */
			private int maxValueLength = 128;

			public List<String> getKeys() {
				return this.keys;
			}

			public void setKeys(List<String> keys) {
				this.keys = keys;
			}

			public int getMaxValueLength() {
				return this.maxValueLength;
			}

			public void setMaxValueLength(int maxValueLength) {
				this.maxValueLength = maxValueLength;
			}

			/**
			 * The policy these settings describe.
			 * @return the policy
			 */
			MetadataPolicy policy() {
				return MetadataPolicy.keep(this.keys).withMaxValueLength(this.maxValueLength);
			}

		}

	}

	/**
	 * The Redis store.
	 */
	public static class Redis {

		/**
		 * Prefix of every Redis key the ledger writes.
		 */
		private String keyPrefix = "sessiongate:";

		/**
		 * Which repository stores the sessions themselves with the Redis store:
		 * 'sessiongate' (SessionGate's own, next to the ledger's records: one round trip
		 * loads the session and admits the request, one saves it and ends the request),
		 * 'spring-session' (Spring Session Data Redis's, as Spring Boot configures it:
		 * the gate adds two round trips), or 'auto': Spring Session's when Spring Session
		 * Data Redis is on the classpath, SessionGate's otherwise. An application's own
		 * SessionRepository bean always wins.
		 */
		private SessionRepositoryType sessionRepository = SessionRepositoryType.AUTO;

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public SessionRepositoryType getSessionRepository() {
			return this.sessionRepository;
		}

		public void setSessionRepository(SessionRepositoryType sessionRepository) {
			this.sessionRepository = sessionRepository;
		}

	}

	/**
	 * Which repository stores sessions with the Redis store.
	 */
	public enum SessionRepositoryType {

		/**
		 * Spring Session Data Redis's when it is on the classpath, SessionGate's
		 * otherwise.
		 */
		AUTO,

		/** SessionGate's own: {@code SessionGateRedisSessionRepository}. */
		SESSIONGATE,

		/** Spring Session Data Redis's, as Spring Boot configures it. */
		SPRING_SESSION

	}

}
