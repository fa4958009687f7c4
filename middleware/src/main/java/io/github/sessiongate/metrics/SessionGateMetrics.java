package io.github.sessiongate.metrics;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionGateAdmin;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.StoreOperation;
import io.github.sessiongate.events.RequestCompletedEvent;
import io.github.sessiongate.events.SessionGateEvent;
import io.github.sessiongate.events.SessionGateListener;
import io.github.sessiongate.events.StreamClosedEvent;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.store.StoreUnavailableException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds a gate's meters to a Micrometer registry. No meter carries a session id, user id
 * or address in its tags. <pre>{@code
 * new SessionGateMetrics(gate).bindTo(meterRegistry);
 * }</pre>
 *
 * <table>
 * <caption>Meters</caption>
 * <tr>
 * <th>name</th>
 * <th>type</th>
 * <th>tags</th>
 * </tr>
 * <tr>
 * <td>{@value #REQUESTS_ACTIVE}</td>
 * <td>gauge (this node)</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>{@value #REQUESTS}</td>
 * <td>timer</td>
 * <td>outcome, exception</td>
 * </tr>
 * <tr>
 * <td>{@value #REQUESTS_REJECTED}</td>
 * <td>counter</td>
 * <td>limit</td>
 * </tr>
 * <tr>
 * <td>{@value #STREAMS_ACTIVE}</td>
 * <td>gauge (this node)</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>{@value #STREAMS_DURATION}</td>
 * <td>timer</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>{@value #SESSIONS_CREATED}</td>
 * <td>counter</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>{@value #SESSIONS_ENDED}</td>
 * <td>counter</td>
 * <td>status</td>
 * </tr>
 * <tr>
 * <td>{@value #SESSIONS_ACTIVE}</td>
 * <td>gauge</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>{@value #STORE_ERRORS}</td>
 * <td>counter</td>
 * <td>operation</td>
 * </tr>
 * </table>
 *
 * @author SessionGate team
 */
public final class SessionGateMetrics implements MeterBinder {

	/** Requests in progress on this node. */
	public static final String REQUESTS_ACTIVE = "sessiongate.requests.active";

	/** Processing time of gated requests. */
	public static final String REQUESTS = "sessiongate.requests";

	/** Requests refused by a limit. */
	public static final String REQUESTS_REJECTED = "sessiongate.requests.rejected";

	/** Streams open on this node. */
	public static final String STREAMS_ACTIVE = "sessiongate.streams.active";

	/** How long streams were open (never part of {@link #REQUESTS}). */
	public static final String STREAMS_DURATION = "sessiongate.streams.duration";

	/** Sessions the gate started tracking. */
	public static final String SESSIONS_CREATED = "sessiongate.sessions.created";

	/** Sessions that ended. */
	public static final String SESSIONS_ENDED = "sessiongate.sessions.ended";

	/** Live sessions. */
	public static final String SESSIONS_ACTIVE = "sessiongate.sessions.active";

	/** Failed calls to the ledger's store. */
	public static final String STORE_ERRORS = "sessiongate.store.errors";

	/**
	 * The registries each gate's meters are bound to: binding twice must neither register
	 * a meter twice nor record every request twice.
	 */
	private static final Map<SessionGate, Set<MeterRegistry>> TIMED = new WeakHashMap<>();

	private final SessionGate gate;

	/**
	 * Creates the binder.
	 * @param gate the gate to measure
	 */
	public SessionGateMetrics(SessionGate gate) {
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
	}

	/**
	 * Registers the meters, every series at once (each {@link Limit}, each ended
	 * {@link SessionStatus}, each {@link StoreOperation}), so none is registered later
	 * and Micrometer never warns of a meter registered twice. The counters read the
	 * gate's own node-local counts (the admin summary shows the same numbers), so binding
	 * again to another registry never counts anything twice; binding again to the same
	 * registry does nothing.
	 * @param registry the registry
	 */
	@Override
	public void bindTo(MeterRegistry registry) {
		Objects.requireNonNull(registry, "registry cannot be null");
		synchronized (TIMED) {
			if (!TIMED.computeIfAbsent(this.gate, (g) -> Collections.newSetFromMap(new IdentityHashMap<>()))
				.add(registry)) {
				return;
			}
		}
		SessionGateAdmin admin = this.gate.admin();
		Gauge.builder(REQUESTS_ACTIVE, admin, SessionGateAdmin::activeRequests)
			.description("Requests in progress on this node")
			.register(registry);
		Gauge.builder(STREAMS_ACTIVE, admin, SessionGateAdmin::activeStreams)
			.description("Streams open on this node")
			.register(registry);
		Gauge.builder(SESSIONS_ACTIVE, admin, SessionGateMetrics::activeSessions)
			.description("Live sessions")
			.register(registry);
		for (Limit limit : Limit.values()) {
			FunctionCounter.builder(REQUESTS_REJECTED, admin, (a) -> a.rejections(limit))
				.description("Requests refused by a limit")
				.tag("limit", limit.tag())
				.register(registry);
		}
		for (SessionStatus status : SessionStatus.values()) {
			if (status.isEnded()) {
				FunctionCounter.builder(SESSIONS_ENDED, admin, (a) -> a.sessionsEnded(status))
					.description("Sessions that ended")
					.tag("status", status.name().toLowerCase(Locale.ROOT))
					.register(registry);
			}
		}
		FunctionCounter.builder(SESSIONS_CREATED, admin, SessionGateAdmin::sessionsStarted)
			.description("Sessions the gate started tracking")
			.register(registry);
		for (StoreOperation operation : StoreOperation.values()) {
			FunctionCounter.builder(STORE_ERRORS, admin, (a) -> a.storeErrors(operation))
				.description("Failed calls to the session store")
				.tag("operation", operation.tag())
				.register(registry);
		}
		this.gate.addListener(new Recorder(registry));
	}

	/**
	 * The ledger's live sessions; not a number while its store is down (a gauge function
	 * must not throw: Micrometer would log each failure).
	 */
	private static double activeSessions(SessionGateAdmin admin) {
		try {
			return admin.activeSessions();
		}
		catch (StoreUnavailableException ex) {
			return Double.NaN;
		}
	}

	/**
	 * The HTTP status of a request, as the timer's {@code outcome} tag.
	 * @param status the status (499: the client went away)
	 * @param exception the exception that ended the request, if any
	 * @return {@code success}, {@code client_error} or {@code server_error}
	 */
	static String outcome(int status, @Nullable Throwable exception) {
		if (status >= 500 || (exception != null && status < 400)) {
			return "server_error";
		}
		return (status >= 400) ? "client_error" : "success";
	}

	private static String exceptionTag(@Nullable Throwable exception) {
		return (exception != null) ? exception.getClass().getSimpleName() : "none";
	}

	/**
	 * Records request times into one registry.
	 */
	private static final class Recorder implements SessionGateListener {

		private final MeterRegistry registry;

		private final Map<String, Timer> timers = new ConcurrentHashMap<>();

		private final Timer streams;

		Recorder(MeterRegistry registry) {
			this.registry = registry;
			this.streams = Timer.builder(STREAMS_DURATION)
				.description("How long streams were open (not part of the request timer)")
				.register(registry);
		}

		@Override
		public void onEvent(SessionGateEvent event) {
			if (event instanceof RequestCompletedEvent completed) {
				timer(outcome(completed.status(), completed.exception()), exceptionTag(completed.exception()))
					.record(completed.durationNanos(), TimeUnit.NANOSECONDS);
			}
			else if (event instanceof StreamClosedEvent closed) {
				this.streams.record(closed.durationNanos(), TimeUnit.NANOSECONDS);
			}
		}

		private Timer timer(String outcome, String exception) {
			return this.timers.computeIfAbsent(outcome + '|' + exception,
					(key) -> Timer.builder(REQUESTS)
						.description("Processing time of gated requests")
						.tag("outcome", outcome)
						.tag("exception", exception)
						.register(this.registry));
		}

	}

}
