package io.github.sessiongate.web;

import java.time.Duration;
import java.util.Objects;

import io.github.sessiongate.limit.Limit;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem the gate answers with instead of calling the application.
 *
 * @param status the HTTP status
 * @param type the problem type URI
 * @param title the short summary (the status reason phrase)
 * @param detail a client-safe explanation
 * @param limit the limit that refused the request, or {@code null}
 * @param retryAfter when to retry, or {@code null} for no {@code Retry-After}
 * @author SessionGate team
 */
public record Problem(int status, String type, String title, String detail, @Nullable Limit limit,
		@Nullable Duration retryAfter) {

	/** Prefix of the problem type URIs SessionGate sends. */
	public static final String TYPE_PREFIX = "urn:sessiongate:problem:";

	public Problem {
		Objects.requireNonNull(type, "type cannot be null");
		Objects.requireNonNull(title, "title cannot be null");
		Objects.requireNonNull(detail, "detail cannot be null");
	}

	/**
	 * The problem for a request refused by a limit.
	 * @param limit the limit
	 * @param retryAfter the retry hint
	 * @return the problem
	 */
	public static Problem of(Limit limit, Duration retryAfter) {
		return new Problem(limit.httpStatus(), TYPE_PREFIX + limit.tag(), limit.title(), limit.detail(), limit,
				retryAfter);
	}

	/**
	 * The problem for a request with an unacceptable value.
	 * @param detail what is wrong, client-safe
	 * @return the problem
	 */
	public static Problem badRequest(String detail) {
		return new Problem(400, TYPE_PREFIX + "invalid-request", "Bad Request", detail, null, null);
	}

	/**
	 * The problem for a request refused because the session store failed and the gate is
	 * configured to reject in that case.
	 * @param retryAfter the retry hint
	 * @return the problem
	 */
	public static Problem storeUnavailable(Duration retryAfter) {
		return new Problem(503, TYPE_PREFIX + "store-unavailable", "Service Unavailable",
				"Sessions are temporarily unavailable.", null, retryAfter);
	}

	/**
	 * The {@code Retry-After} value in whole seconds, rounded up.
	 * @return the seconds, or -1 when there is no retry hint
	 */
	public long retryAfterSeconds() {
		if (this.retryAfter == null) {
			return -1;
		}
		long millis = this.retryAfter.toMillis();
		return Math.max(1, (millis + 999) / 1000);
	}

}
