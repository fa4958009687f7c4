package io.github.sessiongate.limit;

/**
 * A limit the gate enforces. Each one has a stable tag value (used in the
 * {@code sessiongate.requests.rejected} meter, in events and in the {@code limit} member
 * of problem responses) and the HTTP status a rejection answers with.
 *
 * @author SessionGate team
 */
public enum Limit {

	/** Concurrent requests of one session. */
	SESSION_CONCURRENCY("session-concurrency", 429, "Too Many Requests",
			"Too many concurrent requests for this session."),

	/** Request rate of one session (token bucket). */
	RATE("rate", 429, "Too Many Requests", "Request rate limit of this session exceeded."),

	/** Concurrent requests on this node. */
	CAPACITY("capacity", 503, "Service Unavailable", "The server is at capacity."),

	/** Live sessions of one user. */
	SESSIONS_PER_USER("sessions-per-user", 409, "Conflict", "The user has too many live sessions."),

	/** Live sessions in total (per tenant). */
	MAX_SESSIONS("max-sessions", 503, "Service Unavailable", "No new sessions can be created right now."),

	/** Open streams of one session (server-sent events, WebSocket, long polls). */
	SESSION_STREAMS("session-streams", 429, "Too Many Requests", "Too many open streams for this session."),

	/** Open streams on this node. */
	STREAM_CAPACITY("stream-capacity", 503, "Service Unavailable", "The server cannot open more streams right now.");

	private final String tag;

	private final int httpStatus;

	private final String title;

	private final String detail;

	Limit(String tag, int httpStatus, String title, String detail) {
		this.tag = tag;
		this.httpStatus = httpStatus;
		this.title = title;
		this.detail = detail;
	}

	/**
	 * The stable name of this limit, e.g. {@code session-concurrency}.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

	/**
	 * The HTTP status a rejection by this limit answers with.
	 * @return 429, 409 or 503
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

	/**
	 * The problem title (the reason phrase of {@link #httpStatus()}).
	 * @return the title
	 */
	public String title() {
		return this.title;
	}

	/**
	 * A short, client-safe explanation of the rejection.
	 * @return the detail
	 */
	public String detail() {
		return this.detail;
	}

}
