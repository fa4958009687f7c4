package io.github.sessiongate;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One of a user's sessions as {@link SessionInventory} shows it to that user: never the
 * session id (a credential), only its reference.
 *
 * @param reference the session's reference: 12 hex digits of the SHA-256 of its id
 * ({@link SessionIds#shortForm}), what {@link SessionInventory#endSession} takes
 * @param caller whether this is the session of the request that asked
 * @param tenant the tenant the session was created under, or {@code null}
 * @param deviceId the device id of the request that started the session or signed in, or
 * {@code null}
 * @param clientIp that request's client address as {@code inventory.client-ip} keeps it
 * (full, network or none), or {@code null}
 * @param userAgent that request's user agent (truncated), or {@code null}
 * @param createdAt when the session was created
 * @param lastActivity when the session last started or finished a request
 * @param status the session's status ({@link SessionStatus#ACTIVE} for a listed session)
 * @param metadata the application's metadata the session keeps (see
 * {@code SessionGate.Builder#keptMetadata}), unmodifiable, empty when none
 * @author SessionGate team
 */
public record SessionInfo(String reference, boolean caller, @Nullable String tenant, @Nullable String deviceId,
		@Nullable String clientIp, @Nullable String userAgent, Instant createdAt, Instant lastActivity,
		SessionStatus status, Map<String, String> metadata) {

	public SessionInfo {
		Objects.requireNonNull(metadata, "metadata cannot be null");
		metadata = metadata.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
		Objects.requireNonNull(reference, "reference cannot be null");
		Objects.requireNonNull(createdAt, "createdAt cannot be null");
		Objects.requireNonNull(lastActivity, "lastActivity cannot be null");
		Objects.requireNonNull(status, "status cannot be null");
	}

	/**
	 * A session that keeps no metadata.
	 * @param reference the session's reference
	 * @param caller whether this is the session of the request that asked
	 * @param tenant the tenant, or {@code null}
	 * @param deviceId the device id, or {@code null}
	 * @param clientIp the client address as kept, or {@code null}
	 * @param userAgent the user agent (truncated), or {@code null}
	 * @param createdAt when the session was created
	 * @param lastActivity when the session last started or finished a request
	 * @param status the session's status
	 */
	public SessionInfo(String reference, boolean caller, @Nullable String tenant, @Nullable String deviceId,
			@Nullable String clientIp, @Nullable String userAgent, Instant createdAt, Instant lastActivity,
			SessionStatus status) {
		this(reference, caller, tenant, deviceId, clientIp, userAgent, createdAt, lastActivity, status, Map.of());
	}

}
