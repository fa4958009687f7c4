package io.github.sessiongate.autoconfigure;

import java.util.Objects;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.autoconfigure.SessionGateEndpoint.SessionView;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP face of {@link SessionGateEndpoint}'s write operation: Actuator answers a
 * write operation's {@code null} with {@code 204 No Content}, which would tell an
 * operator that a mistyped reference ended a session. Here an unknown, malformed or
 * already ended reference answers {@code 404 Not Found}.
 *
 * @author SessionGate team
 */
@EndpointWebExtension(endpoint = SessionGateEndpoint.class)
public class SessionGateEndpointWebExtension {

	private final SessionGateEndpoint delegate;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint
	 */
	public SessionGateEndpointWebExtension(SessionGateEndpoint delegate) {
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
	}

	/**
	 * Ends a live session; see {@link SessionGateEndpoint#endSession}.
	 * @param reference the session's reference
	 * @param status the final status (default {@code COMPLETED})
	 * @param reason the end reason (default
	 * {@value SessionGateEndpoint#DEFAULT_END_REASON})
	 * @param user the session's user, if known
	 * @return {@code 200} with the final state, or {@code 404}
	 */
	@WriteOperation
	public WebEndpointResponse<SessionView> endSession(@Selector String reference, @Nullable SessionStatus status,
			@Nullable String reason, @Nullable String user) {
		SessionView ended = this.delegate.endSession(reference, status, reason, user);
		return (ended != null) ? new WebEndpointResponse<>(ended)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
