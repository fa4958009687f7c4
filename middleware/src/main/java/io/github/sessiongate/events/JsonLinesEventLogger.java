package io.github.sessiongate.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.internal.json.Json;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each lifecycle event as one JSON line to the logger {@value #LOGGER_NAME} at
 * INFO, for audit trails and log pipelines. Personal data is masked by default: client
 * addresses are truncated (IPv4 to /24, IPv6 to /48), user agents are replaced by a short
 * hash, and session ids always appear only in their short, non-reversible form.
 * Per-request completion events are left out (they belong in metrics). <pre>{@code
 * SessionGate.builder(repository).listener(new JsonLinesEventLogger()).build();
 * }</pre> Example line: <pre>
 * {"event":"session-ended","timestamp":"2026-11-21T10:15:30Z","session":"3f2a9c1b7d4e","status":"expired","reason":"idle-timeout","user":"alice","requests":12,"errors":0,"rejections":1}
 * </pre>
 *
 * @author SessionGate team
 */
public final class JsonLinesEventLogger implements SessionGateListener {

	/** The logger the lines go to. */
	public static final String LOGGER_NAME = "sessiongate.events";

	private static final HexFormat HEX = HexFormat.of();

	private final Logger logger;

	private final boolean maskPersonalData;

	/**
	 * Creates a logger that masks personal data.
	 */
	public JsonLinesEventLogger() {
		this(true);
	}

	/**
	 * Creates a logger.
	 * @param maskPersonalData {@code false} to log full client addresses and user agents
	 * (session ids stay masked regardless)
	 */
	public JsonLinesEventLogger(boolean maskPersonalData) {
		this(LoggerFactory.getLogger(LOGGER_NAME), maskPersonalData);
	}

	JsonLinesEventLogger(Logger logger, boolean maskPersonalData) {
		this.logger = logger;
		this.maskPersonalData = maskPersonalData;
	}

	@Override
	public void onEvent(SessionGateEvent event) {
		if (!this.logger.isInfoEnabled() || event instanceof RequestCompletedEvent
				|| event instanceof StreamClosedEvent) {
			return;
		}
		this.logger.info(toJson(event));
	}

	/**
	 * Renders an event as the JSON line this logger writes.
	 * @param event the event
	 * @return one line of JSON
	 */
	public String toJson(SessionGateEvent event) {
		Line line = new Line(kind(event), event.timestamp().toString());
		if (event instanceof SessionStartedEvent started) {
			line.field("session", SessionIds.shortForm(started.sessionId()))
				.field("tenant", started.tenant())
				.field("clientIp", ip(started.clientIp()))
				.field("userAgent", userAgent(started.userAgent()));
		}
		else if (event instanceof UserBoundEvent bound) {
			line.field("session", SessionIds.shortForm(bound.sessionId())).field("user", bound.userId());
		}
		else if (event instanceof SessionEndedEvent ended) {
			SessionStats stats = ended.stats();
			line.field("session", SessionIds.shortForm(stats.sessionId()))
				.field("status", stats.status().name().toLowerCase(Locale.ROOT))
				.field("reason", stats.endReason())
				.field("tenant", stats.tenant())
				.field("user", stats.userId())
				.number("requests", stats.requestCount())
				.number("errors", stats.errorCount())
				.number("rejections", stats.rejectionCount());
		}
		else if (event instanceof RequestRejectedEvent rejected) {
			line.field("limit", rejected.limit().tag())
				.field("session", (rejected.sessionId() != null) ? SessionIds.shortForm(rejected.sessionId()) : null)
				.field("user", rejected.userId())
				.field("clientIp", ip(rejected.clientIp()))
				.number("retryAfterSeconds", rejected.retryAfter().toSeconds());
		}
		else if (event instanceof TenantMismatchEvent mismatch) {
			line.field("session", SessionIds.shortForm(mismatch.sessionId()))
				.field("tenant", mismatch.requestTenant())
				.field("clientIp", ip(mismatch.clientIp()));
		}
		else if (event instanceof StoreFailureEvent failure) {
			line.field("operation", failure.operation()).field("error", failure.error().getClass().getSimpleName());
		}
		return line.end();
	}

	private static String kind(SessionGateEvent event) {
		if (event instanceof SessionStartedEvent) {
			return "session-started";
		}
		if (event instanceof UserBoundEvent) {
			return "user-bound";
		}
		if (event instanceof SessionEndedEvent) {
			return "session-ended";
		}
		if (event instanceof RequestRejectedEvent) {
			return "request-rejected";
		}
		if (event instanceof TenantMismatchEvent) {
			return "tenant-mismatch";
		}
		if (event instanceof StoreFailureEvent) {
			return "store-failure";
		}
		if (event instanceof StreamClosedEvent) {
			return "stream-closed";
		}
		return "request-completed";
	}

	private String ip(String clientIp) {
		return this.maskPersonalData ? maskIp(clientIp) : clientIp;
	}

	private @Nullable String userAgent(@Nullable String userAgent) {
		if (userAgent == null || !this.maskPersonalData) {
			return userAgent;
		}
		return "sha256:" + HEX.formatHex(sha256(userAgent), 0, 6);
	}

	/**
	 * Truncates an address: IPv4 to its /24 network, IPv6 to its /48 network.
	 * @param clientIp an IP literal
	 * @return the truncated address
	 */
	static String maskIp(String clientIp) {
		if (clientIp.indexOf(':') >= 0) {
			String[] groups = clientIp.split(":", -1);
			if (groups.length >= 3) {
				return groups[0] + ":" + groups[1] + ":" + groups[2] + "::";
			}
			return "::";
		}
		int lastDot = clientIp.lastIndexOf('.');
		return (lastDot > 0) ? clientIp.substring(0, lastDot) + ".0" : "unknown";
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	private static final class Line {

		private final StringBuilder json = new StringBuilder(192);

		Line(String event, String timestamp) {
			this.json.append("{\"event\":");
			Json.appendString(this.json, event);
			this.json.append(",\"timestamp\":");
			Json.appendString(this.json, timestamp);
		}

		Line field(String name, @Nullable String value) {
			if (value != null) {
				this.json.append(",\"").append(name).append("\":");
				Json.appendString(this.json, value);
			}
			return this;
		}

		Line number(String name, long value) {
			this.json.append(",\"").append(name).append("\":").append(value);
			return this;
		}

		String end() {
			return this.json.append('}').toString();
		}

	}

}
