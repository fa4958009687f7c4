package io.github.sessiongate;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Immutable view of who and what a request belongs to: the session, its user, tenant and
 * device, and where the request came from.
 *
 * <p>
 * The gate builds one per request and exposes it through
 * {@link SessionContextHolder#getContext()} and the request attribute
 * {@link SessionContextHolder#REQUEST_ATTRIBUTE}: <pre>{@code
 * SessionContext context = SessionContextHolder.getContext();
 * if (context != null && context.hasSession()) {
 *     log.info("user {} from {}", context.userId(), context.clientIp());
 * }
 * }</pre>
 *
 * <p>
 * {@link #toString()} never prints the raw session id, so a context can be logged safely.
 *
 * @param sessionId the session id, or {@code null} when the request has no session
 * @param userId the user bound to the session or authenticated on the request, if any
 * @param tenant the tenant the request was made under, if tenants are used
 * @param deviceId the device id sent by the client, if any
 * @param clientIp the client address (forwarding headers honoured only from trusted
 * proxies)
 * @param userAgent the {@code User-Agent} header, if any
 * @param creationTime when the session was created, or when the request arrived if there
 * is no session
 * @param metadata application metadata, unmodifiable
 * @author SessionGate team
 */
public record SessionContext(@Nullable String sessionId, @Nullable String userId, @Nullable String tenant,
		@Nullable String deviceId, String clientIp, @Nullable String userAgent, Instant creationTime,
		Map<String, String> metadata) {

	public SessionContext {
		Objects.requireNonNull(clientIp, "clientIp cannot be null");
		Objects.requireNonNull(creationTime, "creationTime cannot be null");
		metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata cannot be null"));
	}

	/**
	 * Whether the request belongs to a session.
	 * @return {@code true} when {@link #sessionId()} is not {@code null}
	 */
	public boolean hasSession() {
		return this.sessionId != null;
	}

	/**
	 * Returns a copy of this context with one more metadata entry (replacing an entry
	 * with the same key).
	 * @param key the metadata key
	 * @param value the metadata value
	 * @return a new context
	 */
	public SessionContext withMetadata(String key, String value) {
		Objects.requireNonNull(key, "key cannot be null");
		Objects.requireNonNull(value, "value cannot be null");
		Map<String, String> copy = new HashMap<>(this.metadata);
		copy.put(key, value);
		return new SessionContext(this.sessionId, this.userId, this.tenant, this.deviceId, this.clientIp,
				this.userAgent, this.creationTime, copy);
	}

	/**
	 * Returns a copy of this context with the given entries added to its metadata.
	 * @param entries the entries to add (replacing entries with the same keys)
	 * @return a new context
	 */
	public SessionContext withMetadata(Map<String, String> entries) {
		Map<String, String> copy = new HashMap<>(this.metadata);
		copy.putAll(entries);
		return new SessionContext(this.sessionId, this.userId, this.tenant, this.deviceId, this.clientIp,
				this.userAgent, this.creationTime, copy);
	}

	/**
	 * Returns a copy of this context bound to another user.
	 * @param userId the user id
	 * @return a new context
	 */
	public SessionContext withUserId(@Nullable String userId) {
		return new SessionContext(this.sessionId, userId, this.tenant, this.deviceId, this.clientIp, this.userAgent,
				this.creationTime, this.metadata);
	}

	/**
	 * Returns a copy of this context for another session id (after the id was rotated).
	 * @param sessionId the new session id
	 * @return a new context
	 */
	public SessionContext withSessionId(@Nullable String sessionId) {
		return new SessionContext(sessionId, this.userId, this.tenant, this.deviceId, this.clientIp, this.userAgent,
				this.creationTime, this.metadata);
	}

	@Override
	public String toString() {
		return "SessionContext[session=" + SessionIds.shortForm(this.sessionId) + ", userId=" + this.userId
				+ ", tenant=" + this.tenant + ", deviceId=" + this.deviceId + ", clientIp=" + this.clientIp
				+ ", creationTime=" + this.creationTime + ", metadata=" + this.metadata.keySet() + "]";
	}

}
