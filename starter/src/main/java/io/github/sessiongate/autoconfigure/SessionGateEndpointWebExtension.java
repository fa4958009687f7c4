package io.github.sessiongate.autoconfigure;

import java.util.Objects;
import java.util.function.Supplier;

import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.store.StoreUnavailableException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.MimeType;

/**
 * The HTTP face of {@link SessionGateEndpoint}:
 * <ul>
 * <li>Actuator answers a write operation's {@code null} with {@code 204 No Content},
 * which would tell an operator that a mistyped reference ended a session. Here an
 * unknown, malformed or already ended reference answers {@code 404 Not Found}.</li>
 * <li>While the ledger's store is down (the admin API throws
 * {@link StoreUnavailableException}), every operation answers
 * {@code 503 Service Unavailable} with an {@code application/problem+json} body of type
 * {@code urn:sessiongate:problem:store-unavailable}, never a {@code 500}.</li>
 * </ul>
 *
 * @author SessionGate team
 */
@EndpointWebExtension(endpoint = SessionGateEndpoint.class)
public class SessionGateEndpointWebExtension {

	private static final MimeType PROBLEM_JSON = MimeType.valueOf("application/problem+json");

	private final SessionGateEndpoint delegate;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint
	 */
	public SessionGateEndpointWebExtension(SessionGateEndpoint delegate) {
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
	}

	/**
	 * The summary, or the sessions of a user or with a status; see
	 * {@link SessionGateEndpoint#sessions}.
	 * @param user list this user's sessions
	 * @param status list sessions with this status
	 * @param max the most sessions listed by status
	 * @return {@code 200} with the summary or listing, or {@code 503}
	 */
	@ReadOperation
	public WebEndpointResponse<Object> sessions(@Nullable String user, @Nullable SessionStatus status,
			@Nullable Integer max) {
		return answer(() -> this.delegate.sessions(user, status, max));
	}

	/**
	 * One session; see {@link SessionGateEndpoint#session}.
	 * @param reference the session's reference
	 * @param user the session's user, if known
	 * @return {@code 200} with the session, {@code 404} or {@code 503}
	 */
	@ReadOperation
	public WebEndpointResponse<Object> session(@Selector String reference, @Nullable String user) {
		return answer(() -> this.delegate.session(reference, user));
	}

	/**
	 * Ends a live session; see {@link SessionGateEndpoint#endSession}.
	 * @param reference the session's reference
	 * @param status the final status (default {@code COMPLETED})
	 * @param reason the end reason (default
	 * {@value SessionGateEndpoint#DEFAULT_END_REASON})
	 * @param user the session's user, if known
	 * @return {@code 200} with the final state, {@code 404} or {@code 503}
	 */
	@WriteOperation
	public WebEndpointResponse<Object> endSession(@Selector String reference, @Nullable SessionStatus status,
			@Nullable String reason, @Nullable String user) {
		return answer(() -> this.delegate.endSession(reference, status, reason, user));
	}

	private static WebEndpointResponse<Object> answer(Supplier<@Nullable Object> operation) {
		Object body;
		try {
			body = operation.get();
		}
		catch (StoreUnavailableException ex) {
			// counted and logged (once per burst, WARN) by the admin API
			return new WebEndpointResponse<>(StoreUnavailableProblem.body(),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, PROBLEM_JSON);
		}
		return (body != null) ? new WebEndpointResponse<>(body)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
