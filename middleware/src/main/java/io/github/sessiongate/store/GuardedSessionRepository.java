package io.github.sessiongate.store;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.StoreOperation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * A Spring Session {@link SessionRepository} that applies the gate's store-failure policy
 * to Spring Session's own calls, so that a store outage never turns into a {@code 500} or
 * a long wait. Spring Session loads the session (often in Spring Security's filters,
 * before the gate is asked) and saves it when the response is committed; both go through
 * the {@link StoreCircuitBreaker} shared with the ledger.
 *
 * <table>
 * <caption>What a call gets while the store fails</caption>
 * <tr>
 * <th>call</th>
 * <th>{@code allow}</th>
 * <th>{@code reject}</th>
 * </tr>
 * <tr>
 * <td>{@code findById}</td>
 * <td>no session ({@code null}): the request is served as a new visitor</td>
 * <td>{@link StoreUnavailableException}: the gate's outer filter answers {@code 503} with
 * a problem body</td>
 * </tr>
 * <tr>
 * <td>{@code save}, {@code deleteById}</td>
 * <td colspan="2">skipped (the response is already decided); the session's changes of
 * that request are lost</td>
 * </tr>
 * </table>
 * <pre>{@code
 * SessionRepository<?> sessions = GuardedSessionRepository.of(new RedisSessionRepository(template),
 *         ledger.circuitBreaker(), StoreFailurePolicy.ALLOW);
 * }</pre> Use {@link #of} so that a {@link FindByIndexNameSessionRepository} stays one.
 *
 * @param <S> the session type
 * @author SessionGate team
 */
public class GuardedSessionRepository<S extends Session> implements SessionRepository<S> {

	private static final Logger logger = LoggerFactory.getLogger(GuardedSessionRepository.class);

	private final SessionRepository<S> delegate;

	private final StoreCircuitBreaker circuitBreaker;

	private final StoreFailurePolicy policy;

	private final AtomicLong failures = new AtomicLong();

	private volatile BiConsumer<StoreOperation, RuntimeException> failureListener = (operation, error) -> {
	};

	/**
	 * Wraps a repository.
	 * @param delegate the repository that talks to the store
	 * @param circuitBreaker the breaker shared with the ledger
	 * @param policy what a request gets when its session cannot be loaded
	 */
	public GuardedSessionRepository(SessionRepository<S> delegate, StoreCircuitBreaker circuitBreaker,
			StoreFailurePolicy policy) {
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
		this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker cannot be null");
		this.policy = Objects.requireNonNull(policy, "policy cannot be null");
	}

	/**
	 * Wraps a repository, keeping {@link FindByIndexNameSessionRepository} when the
	 * delegate is one.
	 * @param <S> the session type
	 * @param delegate the repository
	 * @param circuitBreaker the breaker shared with the ledger
	 * @param policy the store-failure policy
	 * @return the guarded repository
	 */
	public static <S extends Session> GuardedSessionRepository<S> of(SessionRepository<S> delegate,
			StoreCircuitBreaker circuitBreaker, StoreFailurePolicy policy) {
		if (delegate instanceof FindByIndexNameSessionRepository<S> indexed) {
			return new Indexed<>(indexed, circuitBreaker, policy);
		}
		return new GuardedSessionRepository<>(delegate, circuitBreaker, policy);
	}

	@Override
	public S createSession() {
		// creating a session does not touch the store in Spring Session's repositories
		return this.delegate.createSession();
	}

	@Override
	public void save(S session) {
		try {
			this.circuitBreaker.call(() -> {
				this.delegate.save(session);
				return null;
			});
		}
		catch (RuntimeException ex) {
			skipped(StoreOperation.SESSION_SAVE, ex);
		}
	}

	@Override
	public @Nullable S findById(String id) {
		try {
			return this.circuitBreaker.call(() -> this.delegate.findById(id));
		}
		catch (RuntimeException ex) {
			if (!StoreCircuitBreaker.isOutage(ex)) {
				throw ex;
			}
			failed(StoreOperation.SESSION_LOAD, ex);
			if (this.policy == StoreFailurePolicy.REJECT) {
				throw (ex instanceof StoreUnavailableException unavailable) ? unavailable
						: new StoreUnavailableException("The session could not be loaded", ex);
			}
			logger.debug("Session store unavailable, the request is served without its session", ex);
			return null;
		}
	}

	@Override
	public void deleteById(String id) {
		try {
			this.circuitBreaker.call(() -> {
				this.delegate.deleteById(id);
				return null;
			});
		}
		catch (RuntimeException ex) {
			skipped(StoreOperation.SESSION_DELETE, ex);
		}
	}

	/**
	 * Tells someone of every failed or refused call; a {@code SessionGate} built on this
	 * repository counts them in {@code sessiongate.store.errors} (operations
	 * {@code session-load}, {@code session-save}, {@code session-delete},
	 * {@code session-find-by-index}).
	 * @param listener receives the operation and the failure
	 */
	public void setFailureListener(BiConsumer<StoreOperation, RuntimeException> listener) {
		this.failureListener = Objects.requireNonNull(listener, "listener cannot be null");
	}

	private void failed(StoreOperation operation, RuntimeException ex) {
		this.failures.incrementAndGet();
		this.failureListener.accept(operation, ex);
	}

	/**
	 * Calls to the store that failed or were refused by the breaker. Node-local.
	 * @return the count since start
	 */
	public long failures() {
		return this.failures.get();
	}

	/**
	 * The repository this one guards.
	 * @return the delegate
	 */
	public SessionRepository<S> delegate() {
		return this.delegate;
	}

	StoreCircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	StoreFailurePolicy policy() {
		return this.policy;
	}

	void skipped(StoreOperation operation, RuntimeException ex) {
		if (!StoreCircuitBreaker.isOutage(ex)) {
			throw ex;
		}
		failed(operation, ex);
		logger.debug("Session store unavailable, {} skipped", operation.tag(), ex);
	}

	/**
	 * The guard for repositories that find sessions by principal name (Spring Security's
	 * concurrent-session control uses them).
	 *
	 * @param <S> the session type
	 */
	static final class Indexed<S extends Session> extends GuardedSessionRepository<S>
			implements FindByIndexNameSessionRepository<S> {

		private final FindByIndexNameSessionRepository<S> indexed;

		Indexed(FindByIndexNameSessionRepository<S> delegate, StoreCircuitBreaker circuitBreaker,
				StoreFailurePolicy policy) {
			super(delegate, circuitBreaker, policy);
			this.indexed = delegate;
		}

		@Override
		public Map<String, S> findByIndexNameAndIndexValue(String indexName, String indexValue) {
			try {
				return circuitBreaker().call(() -> this.indexed.findByIndexNameAndIndexValue(indexName, indexValue));
			}
			catch (RuntimeException ex) {
				if (!StoreCircuitBreaker.isOutage(ex) || policy() == StoreFailurePolicy.REJECT) {
					throw ex;
				}
				skipped(StoreOperation.SESSION_FIND_BY_INDEX, ex);
				return Map.of();
			}
		}

	}

}
