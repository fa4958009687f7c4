package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.sessiongate.SessionIds;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.session.FlushMode;
import org.springframework.session.MapSession;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.UuidSessionIdGenerator;

/**
 * A Spring Session {@link SessionRepository} on Redis that keeps each session next to its
 * {@link RedisSessionLedger} record, under the same hash tag, so that one Lua script
 * loads the session and admits its request, and one script saves the session's changes
 * and ends the request: two Redis round trips per request for storage and every limit
 * together, where Spring Session's {@code RedisSessionRepository} alone needs more.
 *
 * <p>
 * It behaves as Spring Session's {@code RedisSessionRepository} does: sessions are
 * {@link MapSession}s; attribute values go through a Spring Data Redis
 * {@link RedisSerializer} (JDK serialization by default); {@link FlushMode} and
 * {@link SaveMode} mean what they mean there; a save writes only what changed; a session
 * expires {@code maxInactiveInterval} after its last access (a Redis TTL); a save of a
 * session deleted meanwhile does not bring it back. Where it differs:
 * <ul>
 * <li>it is only useful with a gate on the same ledger
 * ({@code SessionGate.builder(repository)
 * .ledger(ledger)}); without one it still works, as a plain repository;</li>
 * <li>an id change moves the session's data to the new id's key (read and delete, then
 * write) instead of {@code RENAME}, because the two keys are in different Redis Cluster
 * slots: the repository works on Redis Cluster;</li>
 * <li>the stored format (metadata as decimal text) is its own: sessions stored by Spring
 * Session's repositories are not read (users sign in again after a switch);</li>
 * <li>a save of a session deleted meanwhile is skipped without an exception when it has
 * nothing to write.</li>
 * </ul>
 * Share the ledger's connection factory; failures go through the ledger's
 * {@link RedisSessionLedger#circuitBreaker() circuit breaker} (wrap the repository in a
 * {@link io.github.sessiongate.store.GuardedSessionRepository} for the store-failure
 * policy).
 *
 * @author SessionGate team
 */
public final class SessionGateRedisSessionRepository
		implements SessionRepository<SessionGateRedisSessionRepository.GateSession> {

	private static final Logger logger = LoggerFactory.getLogger(SessionGateRedisSessionRepository.class);

	static final String CREATION_TIME = "creationTime";

	static final String LAST_ACCESSED_TIME = "lastAccessedTime";

	static final String MAX_INACTIVE_INTERVAL = "maxInactiveInterval";

	static final String ATTRIBUTE_PREFIX = "sessionAttr:";

	private final RedisScripts scripts;

	private final RequestScopes scopes;

	private final Admissions admissions;

	private Duration defaultMaxInactiveInterval;

	private FlushMode flushMode;

	private SaveMode saveMode;

	private RedisSerializer<Object> serializer;

	private SessionIdGenerator sessionIdGenerator;

	private SessionGateRedisSessionRepository(Builder builder) {
		// the parts of the ledger that store sessions: neither calls the other back
		this.scripts = builder.ledger.scripts();
		this.scopes = builder.ledger.scopes();
		this.admissions = builder.ledger.admissions();
		this.defaultMaxInactiveInterval = builder.defaultMaxInactiveInterval;
		this.flushMode = builder.flushMode;
		this.saveMode = builder.saveMode;
		this.serializer = builder.serializer;
		this.sessionIdGenerator = builder.sessionIdGenerator;
		this.scopes.activate();
	}

	/**
	 * Starts building a repository that stores sessions next to a ledger's records.
	 * @param ledger the Redis ledger of the gate that will use the repository
	 * @return the builder
	 */
	public static Builder builder(RedisSessionLedger ledger) {
		return new Builder(ledger);
	}

	@Override
	public GateSession createSession() {
		MapSession cached = new MapSession(this.sessionIdGenerator);
		cached.setMaxInactiveInterval(this.defaultMaxInactiveInterval);
		GateSession session = new GateSession(cached, true);
		this.scopes.inUse(session);
		session.flushIfRequired();
		return session;
	}

	@Override
	public void save(GateSession session) {
		Objects.requireNonNull(session, "session cannot be null");
		if (session.hasChangedSessionId() && !session.isNew) {
			moveData(session);
			return;
		}
		if (!session.isNew && session.delta.isEmpty()) {
			return;
		}
		if (!this.scripts.saveSession(session.getId(), session.changes())) {
			throw new IllegalStateException("Session was invalidated");
		}
		session.saved();
	}

	@Override
	public @Nullable GateSession findById(String id) {
		if (!acceptable(id)) {
			return null;
		}
		RequestScopes.Expected expected = this.scopes.takeExpected();
		GateSession session;
		if (expected != null) {
			// the gate is about to admit this request: one script loads and admits
			session = this.admissions.loadAndAdmit(id, expected, (data) -> fromFields(id, data));
		}
		else {
			if (this.scopes.held(id) instanceof GateSession held) {
				return held;
			}
			List<Object> data = this.scripts.loadSession(id);
			session = (data != null) ? fromFields(id, data) : null;
		}
		if (session != null) {
			this.scopes.inUse(session);
		}
		return session;
	}

	@Override
	public void deleteById(String id) {
		if (acceptable(id)) {
			this.scopes.deleted(id);
			this.scripts.deleteSession(id);
		}
	}

	/**
	 * Sets the max inactive interval of new sessions, as on Spring Session's
	 * {@code RedisSessionRepository}: for a {@code SessionRepositoryCustomizer}, before
	 * the repository serves requests.
	 * @param interval the interval; negative: new sessions never time out
	 */
	public void setDefaultMaxInactiveInterval(Duration interval) {
		this.defaultMaxInactiveInterval = Objects.requireNonNull(interval, "interval cannot be null");
	}

	/**
	 * Sets the flush mode (see {@link Builder#flushMode}), before the repository serves
	 * requests.
	 * @param flushMode the flush mode
	 */
	public void setFlushMode(FlushMode flushMode) {
		this.flushMode = Objects.requireNonNull(flushMode, "flushMode cannot be null");
	}

	/**
	 * Sets the save mode (see {@link Builder#saveMode}), before the repository serves
	 * requests.
	 * @param saveMode the save mode
	 */
	public void setSaveMode(SaveMode saveMode) {
		this.saveMode = Objects.requireNonNull(saveMode, "saveMode cannot be null");
	}

	/**
	 * Sets how attribute values are written (see {@link Builder#serializer}), before the
	 * repository serves requests.
	 * @param serializer the serializer
	 */
	public void setSerializer(RedisSerializer<Object> serializer) {
		this.serializer = Objects.requireNonNull(serializer, "serializer cannot be null");
	}

	/**
	 * Sets how session ids are made (see {@link Builder#sessionIdGenerator}), before the
	 * repository serves requests.
	 * @param sessionIdGenerator the generator
	 */
	public void setSessionIdGenerator(SessionIdGenerator sessionIdGenerator) {
		this.sessionIdGenerator = Objects.requireNonNull(sessionIdGenerator, "sessionIdGenerator cannot be null");
	}

	/**
	 * The Redis key of a session's data, for operators (the data is a hash: metadata as
	 * decimal text, attributes under {@code sessionAttr:<name>}).
	 * @param sessionId the session id
	 * @return the key
	 */
	public String dataKey(String sessionId) {
		return new String(this.scripts.keys().data(sessionId), StandardCharsets.UTF_8);
	}

	/**
	 * Ids that cannot name a key of ours (hash-tag braces, empty) are never looked up.
	 */
	private static boolean acceptable(@Nullable String id) {
		return id != null && !id.isEmpty() && id.indexOf('{') < 0 && id.indexOf('}') < 0;
	}

	/**
	 * Builds a session from stored fields and values. Data this repository cannot read
	 * (written with another serializer, or damaged) is no session: the request starts a
	 * new one instead of failing with a {@code 500}, and the unreadable data expires.
	 * @return the session, or {@code null} when the data is incomplete or unreadable
	 */
	private @Nullable GateSession fromFields(String id, List<Object> fields) {
		try {
			return decode(id, fields);
		}
		catch (SerializationException | NumberFormatException ex) {
			logger.warn("Ignored session {}: its stored data cannot be read ({}); was the serializer changed "
					+ "without a new key prefix?", SessionIds.shortForm(id), ex.getMessage());
			return null;
		}
	}

	private @Nullable GateSession decode(String id, List<Object> fields) {
		MapSession cached = new MapSession(id);
		boolean created = false;
		boolean accessed = false;
		boolean interval = false;
		for (int i = 0; i + 1 < fields.size(); i += 2) {
			String field = new String((byte[]) fields.get(i), StandardCharsets.UTF_8);
			byte[] value = (byte[]) fields.get(i + 1);
			switch (field) {
				case CREATION_TIME -> {
					cached.setCreationTime(Instant.ofEpochMilli(parse(value)));
					created = true;
				}
				case LAST_ACCESSED_TIME -> {
					cached.setLastAccessedTime(Instant.ofEpochMilli(parse(value)));
					accessed = true;
				}
				case MAX_INACTIVE_INTERVAL -> {
					cached.setMaxInactiveInterval(Duration.ofSeconds(parse(value)));
					interval = true;
				}
				default -> {
					if (field.startsWith(ATTRIBUTE_PREFIX)) {
						cached.setAttribute(field.substring(ATTRIBUTE_PREFIX.length()),
								this.serializer.deserialize(value));
					}
				}
			}
		}
		return (created && accessed && interval) ? new GateSession(cached, false) : null;
	}

	/**
	 * Moves a session's data to its new id: takes it from the old key, then writes it,
	 * with this request's changes on top, under the new one. The keys are in different
	 * cluster slots, so this is two round trips rather than one {@code RENAME}.
	 */
	private void moveData(GateSession session) {
		List<Object> stored = this.scripts.takeSession(session.originalId);
		if (stored == null) {
			throw new IllegalStateException("Session was invalidated");
		}
		Map<String, @Nullable Object> merged = new HashMap<>();
		for (int i = 0; i + 1 < stored.size(); i += 2) {
			String field = new String((byte[]) stored.get(i), StandardCharsets.UTF_8);
			merged.put(field, new Raw((byte[]) stored.get(i + 1)));
		}
		merged.putAll(session.delta);
		session.delta.clear();
		session.delta.putAll(merged);
		session.isNew = true;
		this.scripts.saveSession(session.getId(), session.changes());
		session.saved();
	}

	private byte[] encode(String field, Object value) {
		if (value instanceof Raw raw) {
			return raw.value();
		}
		if (field.startsWith(ATTRIBUTE_PREFIX)) {
			byte[] serialized = this.serializer.serialize(value);
			return (serialized != null) ? serialized : new byte[0];
		}
		return bytes(value.toString());
	}

	private static long parse(byte[] value) {
		return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** A stored value carried over unchanged by an id change. */
	private record Raw(byte[] value) {
	}

	/**
	 * A session of this repository: a {@link MapSession} plus the changes not yet saved.
	 * Not thread-safe, as Spring Session's own sessions are not.
	 */
	public final class GateSession implements Session, StoredSession {

		private final MapSession cached;

		/** Field to new value; {@code null} deletes the field. */
		private final Map<String, @Nullable Object> delta = new HashMap<>();

		private boolean isNew;

		private String originalId;

		/** Deleted through {@link #deleteById} while this request held it. */
		private volatile boolean deleted;

		GateSession(MapSession cached, boolean isNew) {
			this.cached = cached;
			this.isNew = isNew;
			this.originalId = cached.getId();
			if (isNew) {
				this.delta.put(CREATION_TIME, cached.getCreationTime().toEpochMilli());
				this.delta.put(MAX_INACTIVE_INTERVAL, cached.getMaxInactiveInterval().getSeconds());
				this.delta.put(LAST_ACCESSED_TIME, cached.getLastAccessedTime().toEpochMilli());
			}
			if (isNew || SessionGateRedisSessionRepository.this.saveMode == SaveMode.ALWAYS) {
				for (String name : cached.getAttributeNames()) {
					this.delta.put(ATTRIBUTE_PREFIX + name, cached.getAttribute(name));
				}
			}
		}

		@Override
		public String getId() {
			return this.cached.getId();
		}

		@Override
		public String changeSessionId() {
			String newId = SessionGateRedisSessionRepository.this.sessionIdGenerator.generate();
			this.cached.setId(newId);
			return newId;
		}

		@Override
		public <T> @Nullable T getAttribute(String attributeName) {
			T value = this.cached.getAttribute(attributeName);
			if (value != null && SessionGateRedisSessionRepository.this.saveMode == SaveMode.ON_GET_ATTRIBUTE) {
				this.delta.put(ATTRIBUTE_PREFIX + attributeName, value);
			}
			return value;
		}

		@Override
		public Set<String> getAttributeNames() {
			// MapSession hands out a copy already
			return this.cached.getAttributeNames();
		}

		@Override
		public void setAttribute(String attributeName, @Nullable Object attributeValue) {
			this.cached.setAttribute(attributeName, attributeValue);
			this.delta.put(ATTRIBUTE_PREFIX + attributeName, attributeValue);
			flushIfRequired();
		}

		@Override
		public void removeAttribute(String attributeName) {
			setAttribute(attributeName, null);
		}

		@Override
		public Instant getCreationTime() {
			return this.cached.getCreationTime();
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			this.cached.setLastAccessedTime(lastAccessedTime);
			this.delta.put(LAST_ACCESSED_TIME, lastAccessedTime.toEpochMilli());
			flushIfRequired();
		}

		@Override
		public Instant getLastAccessedTime() {
			return this.cached.getLastAccessedTime();
		}

		@Override
		public void setMaxInactiveInterval(Duration interval) {
			this.cached.setMaxInactiveInterval(interval);
			this.delta.put(MAX_INACTIVE_INTERVAL, interval.getSeconds());
			flushIfRequired();
		}

		@Override
		public Duration getMaxInactiveInterval() {
			return this.cached.getMaxInactiveInterval();
		}

		@Override
		public boolean isExpired() {
			return this.cached.isExpired();
		}

		private boolean hasChangedSessionId() {
			return !getId().equals(this.originalId);
		}

		@Override
		public boolean savableAtRequestEnd() {
			return !this.deleted && !hasChangedSessionId() && (this.isNew || !this.delta.isEmpty());
		}

		@Override
		public void markDeleted() {
			this.deleted = true;
		}

		@Override
		public boolean isDeleted() {
			return this.deleted;
		}

		/**
		 * What a save writes: the fields to delete and to set, and the expiry.
		 */
		@Override
		public SessionChanges changes() {
			List<byte[]> deletes = new ArrayList<>();
			List<byte[]> sets = new ArrayList<>(2 * this.delta.size());
			for (Map.Entry<String, @Nullable Object> change : this.delta.entrySet()) {
				Object value = change.getValue();
				if (value == null) {
					deletes.add(bytes(change.getKey()));
				}
				else {
					sets.add(bytes(change.getKey()));
					sets.add(encode(change.getKey(), value));
				}
			}
			Duration interval = getMaxInactiveInterval();
			long expireAt = interval.isNegative() ? 0 : getLastAccessedTime().toEpochMilli() + interval.toMillis();
			return new SessionChanges(this.isNew, expireAt, deletes, sets);
		}

		/** A save reached Redis: the changes are stored. */
		@Override
		public void saved() {
			this.delta.clear();
			this.isNew = false;
			this.originalId = getId();
		}

		private void flushIfRequired() {
			if (SessionGateRedisSessionRepository.this.flushMode == FlushMode.IMMEDIATE) {
				save(this);
			}
		}

	}

	/**
	 * Builds a {@link SessionGateRedisSessionRepository}.
	 */
	public static final class Builder {

		private final RedisSessionLedger ledger;

		private Duration defaultMaxInactiveInterval = MapSession.DEFAULT_MAX_INACTIVE_INTERVAL;

		private FlushMode flushMode = FlushMode.ON_SAVE;

		private SaveMode saveMode = SaveMode.ON_SET_ATTRIBUTE;

		private RedisSerializer<Object> serializer = RedisSerializer.java();

		private SessionIdGenerator sessionIdGenerator = UuidSessionIdGenerator.getInstance();

		private Builder(RedisSessionLedger ledger) {
			this.ledger = Objects.requireNonNull(ledger, "ledger cannot be null");
		}

		/**
		 * The max inactive interval of new sessions; negative: they never time out.
		 * Default 30 minutes, as in Spring Session.
		 * @param interval the interval
		 * @return this builder
		 */
		public Builder defaultMaxInactiveInterval(Duration interval) {
			this.defaultMaxInactiveInterval = Objects.requireNonNull(interval, "interval cannot be null");
			return this;
		}

		/**
		 * When changes are written: {@link FlushMode#ON_SAVE} (default; at the end of the
		 * request, in the script that ends it) or {@link FlushMode#IMMEDIATE} (each
		 * change at once: one round trip each).
		 * @param flushMode the flush mode
		 * @return this builder
		 */
		public Builder flushMode(FlushMode flushMode) {
			this.flushMode = Objects.requireNonNull(flushMode, "flushMode cannot be null");
			return this;
		}

		/**
		 * Which attributes a save writes: {@link SaveMode#ON_SET_ATTRIBUTE} (default),
		 * {@link SaveMode#ON_GET_ATTRIBUTE} or {@link SaveMode#ALWAYS}, as in Spring
		 * Session.
		 * @param saveMode the save mode
		 * @return this builder
		 */
		public Builder saveMode(SaveMode saveMode) {
			this.saveMode = Objects.requireNonNull(saveMode, "saveMode cannot be null");
			return this;
		}

		/**
		 * How attribute values are written; default JDK serialization
		 * ({@link RedisSerializer#java()}), as Spring Session's default.
		 * @param serializer the serializer
		 * @return this builder
		 */
		public Builder serializer(RedisSerializer<Object> serializer) {
			this.serializer = Objects.requireNonNull(serializer, "serializer cannot be null");
			return this;
		}

		/**
		 * How session ids are made; default random UUIDs, as in Spring Session.
		 * @param sessionIdGenerator the generator
		 * @return this builder
		 */
		public Builder sessionIdGenerator(SessionIdGenerator sessionIdGenerator) {
			this.sessionIdGenerator = Objects.requireNonNull(sessionIdGenerator, "sessionIdGenerator cannot be null");
			return this;
		}

		/**
		 * Builds the repository and attaches it to the ledger.
		 * @return the repository
		 * @throws IllegalStateException if the ledger already has a repository
		 */
		public SessionGateRedisSessionRepository build() {
			return new SessionGateRedisSessionRepository(this);
		}

	}

}
