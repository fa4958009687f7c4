package io.github.sessiongate.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.sessiongate.internal.SessionGateCore;
import io.github.sessiongate.SessionGateAdmin;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.ledger.SessionStats;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.IndexResolver;
import org.springframework.session.PrincipalNameIndexResolver;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * A {@link FindByIndexNameSessionRepository} over any Spring Session repository, finding
 * a user's sessions through the ledger's user index instead of index keys of its own.
 * Sessions live in the delegate (in memory, Redis standalone or Cluster, JDBC...); the
 * ledger, which already knows every tracked session's user on every node, supplies the
 * candidates. So Spring Security's {@code SpringSessionBackedSessionRegistry} and Spring
 * Boot's {@code sessions} Actuator endpoint work without Redis keyspace notifications,
 * without {@code CONFIG} and without an index key that outlives its session.
 *
 * <pre>{@code
 * InMemorySessionLedger ledger = new InMemorySessionLedger();
 * LedgerIndexedSessionRepository<MapSession> sessions = new LedgerIndexedSessionRepository<>(
 *         new MapSessionRepository(new ConcurrentHashMap<>()), ledger);
 * SessionGate gate = SessionGate.builder(sessions).ledger(ledger).build();
 * sessions.endSessionsThrough(gate.admin());     // invalidate() ends the tracked session
 * SessionRegistry registry = new SpringSessionBackedSessionRegistry<>(sessions);
 * }</pre>
 *
 * <p>
 * Only the {@link #PRINCIPAL_NAME_INDEX_NAME principal name} index is supported (other
 * index names find nothing). A session is found for a principal name when the ledger has
 * it live and bound to that user <em>and</em> the session itself names that principal,
 * exactly as Spring Session resolves the index: the {@code PRINCIPAL_NAME_INDEX_NAME}
 * attribute, or else the name of the authentication in Spring Security's
 * {@code SPRING_SECURITY_CONTEXT} attribute. A session the gate never tracked (an
 * excluded path, a store failure) or whose login has not completed is not found.
 *
 * <p>
 * {@link #deleteById(String)} deletes from the delegate and, once
 * {@link #endSessionsThrough(SessionGateAdmin)} was called, ends the tracked session
 * (status {@code COMPLETED}, reason {@value #INVALIDATED_REASON}), so an application's
 * {@code HttpSession.invalidate()} (a logout) ends the session in the ledger at once,
 * with the gate's end event, on whichever node it happens.
 *
 * @param <S> the session type of the delegate
 * @author SessionGate team
 */
public final class LedgerIndexedSessionRepository<S extends Session> implements FindByIndexNameSessionRepository<S> {

	/** The end reason recorded when the application invalidates a session. */
	public static final String INVALIDATED_REASON = SessionGateCore.INVALIDATED;

	private static final Logger logger = LoggerFactory.getLogger(LedgerIndexedSessionRepository.class);

	// the gate deletes the sessions it ends through this repository: that inner delete
	// must not try to end the session a second time
	private static final ThreadLocal<String> ending = new ThreadLocal<>();

	private final SessionRepository<S> delegate;

	private final SessionLedger ledger;

	private final IndexResolver<S> indexResolver = new PrincipalNameIndexResolver<>();

	private volatile @Nullable SessionGateAdmin admin;

	/**
	 * Creates the repository.
	 * @param delegate where sessions live
	 * @param ledger the ledger whose user index finds sessions (the gate's)
	 */
	public LedgerIndexedSessionRepository(SessionRepository<S> delegate, SessionLedger ledger) {
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
		this.ledger = Objects.requireNonNull(ledger, "ledger cannot be null");
	}

	/**
	 * Makes {@link #deleteById(String)} end the tracked session through the gate (the
	 * gate is built around this repository, so it is linked once both exist).
	 * @param admin the gate's admin API
	 */
	public void endSessionsThrough(SessionGateAdmin admin) {
		this.admin = Objects.requireNonNull(admin, "admin cannot be null");
	}

	/**
	 * The repository where sessions live.
	 * @return the delegate
	 */
	public SessionRepository<S> delegate() {
		return this.delegate;
	}

	@Override
	public S createSession() {
		return this.delegate.createSession();
	}

	@Override
	public void save(S session) {
		this.delegate.save(session);
	}

	@Override
	public @Nullable S findById(String id) {
		return this.delegate.findById(id);
	}

	@Override
	public void deleteById(String id) {
		this.delegate.deleteById(id);
		SessionGateAdmin admin = this.admin;
		if (admin == null || id.equals(ending.get())) {
			return;
		}
		ending.set(id);
		try {
			admin.endSession(id, SessionStatus.COMPLETED, INVALIDATED_REASON);
		}
		catch (RuntimeException ex) {
			// the session is gone from the repository; the sweeper ends its record later
			logger.debug("Could not end the invalidated session in the ledger", ex);
		}
		finally {
			ending.remove();
		}
	}

	@Override
	public Map<String, S> findByIndexNameAndIndexValue(String indexName, String indexValue) {
		if (!PRINCIPAL_NAME_INDEX_NAME.equals(indexName)) {
			return Map.of();
		}
		Map<String, S> found = new LinkedHashMap<>();
		for (SessionStats stats : this.ledger.findByUser(indexValue)) {
			if (stats.status() != SessionStatus.ACTIVE) {
				continue;
			}
			S session = this.delegate.findById(stats.sessionId());
			if (session != null && indexValue.equals(principalNameOf(session))) {
				found.put(session.getId(), session);
			}
		}
		return found;
	}

	private @Nullable String principalNameOf(S session) {
		return this.indexResolver.resolveIndexesFor(session).get(PRINCIPAL_NAME_INDEX_NAME);
	}

}
