package io.github.sessiongate.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.events.RequestCompletedEvent;
import io.github.sessiongate.events.RequestRejectedEvent;
import io.github.sessiongate.events.SessionEndedEvent;
import io.github.sessiongate.events.SessionGateEvent;
import io.github.sessiongate.events.SessionGateListener;
import io.github.sessiongate.events.SessionStartedEvent;
import io.github.sessiongate.events.StoreFailureEvent;
import io.github.sessiongate.limit.Limit;
import io.micrometer.core.instrument.Counter;
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
public final class SessionGateMetrics implements MeterBinder, SessionGateListener {

	/** Requests in progress on this node. */
	public static final String REQUESTS_ACTIVE = "sessiongate.requests.active";

	/** Processing time of gated requests. */
	public static final String REQUESTS = "sessiongate.requests";

	/** Requests refused by a limit. */
	public static final String REQUESTS_REJECTED = "sessiongate.requests.rejected";

	/** Sessions the gate started tracking. */
	public static final String SESSIONS_CREATED = "sessiongate.sessions.created";

	/** Sessions that ended. */
	public static final String SESSIONS_ENDED = "sessiongate.sessions.ended";

	/** Live sessions. */
	public static final String SESSIONS_ACTIVE = "sessiongate.sessions.active";

	/** Failed calls to the ledger's store. */
	public static final String STORE_ERRORS = "sessiongate.store.errors";

	private final SessionGate gate;

	private final Map<Limit, Counter> rejected = new EnumMap<>(Limit.class);

	private final Map<SessionStatus, Counter> ended = new EnumMap<>(SessionStatus.class);

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	private final Map<String, Counter> storeErrors = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry registry;

	private @Nullable Counter created;

	/**
	 * Creates the binder.
	 * @param gate the gate to measure
	 */
	public SessionGateMetrics(SessionGate gate) {
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Objects.requireNonNull(registry, "registry cannot be null");
		Gauge.builder(REQUESTS_ACTIVE, this.gate, SessionGate::activeRequests)
			.description("Requests in progress on this node")
			.register(registry);
		Gauge.builder(SESSIONS_ACTIVE, this.gate, (g) -> g.ledger().activeSessions())
			.description("Live sessions")
			.register(registry);
		for (Limit limit : Limit.values()) {
			this.rejected.put(limit,
					Counter.builder(REQUESTS_REJECTED)
						.description("Requests refused by a limit")
						.tag("limit", limit.tag())
						.register(registry));
		}
		for (SessionStatus status : SessionStatus.values()) {
			if (status.isEnded()) {
				this.ended.put(status,
						Counter.builder(SESSIONS_ENDED)
							.description("Sessions that ended")
							.tag("status", status.name().toLowerCase(java.util.Locale.ROOT))
							.register(registry));
			}
		}
		this.created = Counter.builder(SESSIONS_CREATED)
			.description("Sessions the gate started tracking")
			.register(registry);
		this.registry = registry;
		this.gate.addListener(this);
	}

	@Override
	public void onEvent(SessionGateEvent event) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		if (event instanceof RequestCompletedEvent completed) {
			timer(registry, outcome(completed.status(), completed.exception()), exceptionTag(completed.exception()))
				.record(completed.durationNanos(), TimeUnit.NANOSECONDS);
		}
		else if (event instanceof RequestRejectedEvent rejection) {
			this.rejected.get(rejection.limit()).increment();
		}
		else if (event instanceof SessionStartedEvent && this.created != null) {
			this.created.increment();
		}
		else if (event instanceof SessionEndedEvent end) {
			Counter counter = this.ended.get(end.stats().status());
			if (counter != null) {
				counter.increment();
			}
		}
		else if (event instanceof StoreFailureEvent failure) {
			this.storeErrors
				.computeIfAbsent(failure.operation(),
						(operation) -> Counter.builder(STORE_ERRORS)
							.description("Failed calls to the session store")
							.tag("operation", operation)
							.register(registry))
				.increment();
		}
	}

	private Timer timer(MeterRegistry registry, String outcome, String exception) {
		return this.timers.computeIfAbsent(outcome + '|' + exception,
				(key) -> Timer.builder(REQUESTS)
					.description("Processing time of gated requests")
					.tag("outcome", outcome)
					.tag("exception", exception)
					.register(registry));
	}

	private static String outcome(int status, @Nullable Throwable exception) {
		if (exception != null || status >= 500) {
			return "server_error";
		}
		return (status >= 400) ? "client_error" : "success";
	}

	private static String exceptionTag(@Nullable Throwable exception) {
		return (exception != null) ? exception.getClass().getSimpleName() : "none";
	}

}
