package io.github.sessiongate.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.github.sessiongate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's leases: the permits of its requests in progress, renewed every third of the
 * lease time while their request runs, and the leases to free because a request's
 * admission or end failed (freed in order once Redis answers again, or dropped once they
 * have expired by themselves).
 *
 * @author SessionGate team
 */
final class Leases implements AutoCloseable {

	/** How often releases of abandoned leases are retried while Redis fails. */
	private static final long RELEASE_RETRY_MS = 200;

	/** How many of the latest request ends are kept to be freed again (a power of 2). */
	private static final int RECENT_ENDS = 4096;

	/**
	 * How long before a store failure a freed lease is freed again (a master that dies
	 * passes its writes on to its replica within milliseconds; the rest is for detecting
	 * the failure, at most a command timeout later).
	 */
	private static final long RECENT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(3);

	/**
	 * Store failures closer together than this free the recent leases again only once.
	 */
	private static final long REPLAY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private static final Logger logger = LoggerFactory.getLogger(Leases.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final RedisScripts scripts;

	private final Duration leaseTime;

	private final Set<RedisPermit> inFlight = ConcurrentHashMap.newKeySet();

	private final Queue<PendingRelease> pendingReleases = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean releasing = new AtomicBoolean();

	// the latest request ends: the permit and when its end freed the lease (kept apart,
	// so
	// that recording an end allocates nothing)
	private final AtomicReferenceArray<RedisPermit> recentEnds = new AtomicReferenceArray<>(RECENT_ENDS);

	private final AtomicLongArray recentEndTimes = new AtomicLongArray(RECENT_ENDS);

	private final AtomicLong recentCount = new AtomicLong();

	private final Object replayLock = new Object();

	private long replayedAtNanos = System.nanoTime() - RECENT_WINDOW_NANOS;

	private final ScheduledExecutorService executor;

	Leases(RedisScripts scripts, Duration leaseTime) {
		this.scripts = scripts;
		this.leaseTime = leaseTime;
		this.executor = Executors.newScheduledThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "sessiongate-redis-leases");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(1, leaseTime.toMillis() / 3);
		this.executor.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
		this.executor.scheduleWithFixedDelay(this::releasePending, RELEASE_RETRY_MS, RELEASE_RETRY_MS,
				TimeUnit.MILLISECONDS);
	}

	long leaseMillis() {
		return this.leaseTime.toMillis();
	}

	/** A new permit (not yet taken) for a request of a session. */
	RedisPermit newPermit(String sessionId) {
		byte[] random = new byte[12];
		RANDOM.nextBytes(random);
		return new RedisPermit(sessionId, HexFormat.of().formatHex(random), System.nanoTime());
	}

	/** The permit's lease was taken: renew it until {@link #ended}. */
	void taken(RedisPermit permit) {
		this.inFlight.add(permit);
	}

	void ended(RedisPermit permit) {
		this.inFlight.remove(permit);
	}

	/** Permits of requests still in progress follow their session to its new id. */
	void sessionIdChanged(String oldId, String newId) {
		for (RedisPermit permit : this.inFlight) {
			if (permit.sessionId().equals(oldId)) {
				permit.sessionId(newId);
			}
		}
	}

	/**
	 * An admission failed in the client: unless the breaker refused it before it was
	 * sent, it may still run when Redis answers again, so free what it takes.
	 */
	void abandonAdmission(RuntimeException failure, RedisPermit permit) {
		if (!(failure instanceof StoreUnavailableException unavailable) || unavailable.attempted()) {
			abandon(permit, true);
			storeFailed();
		}
	}

	/**
	 * Frees a lease once Redis answers.
	 * @param mark whether to leave a mark that cancels an admission still to come
	 */
	void abandon(RedisPermit permit, boolean mark) {
		this.inFlight.remove(permit);
		this.pendingReleases.add(new PendingRelease(permit.sessionId(), permit.leaseId(), mark, System.nanoTime()));
		try {
			this.executor.execute(this::releasePending);
		}
		catch (RejectedExecutionException ex) {
			// closed: the lease expires by itself
		}
	}

	/**
	 * A request's end freed its lease: kept for a while in case Redis loses that write
	 * (see {@link #storeFailed()}).
	 */
	void freed(RedisPermit permit) {
		int slot = (int) (this.recentCount.getAndIncrement() & (RECENT_ENDS - 1));
		this.recentEndTimes.set(slot, System.nanoTime());
		this.recentEnds.set(slot, permit);
	}

	/**
	 * A Redis call failed. Redis replicates asynchronously: a master that dies may take
	 * with it the last request ends it acknowledged, and the replica promoted in its
	 * place still holds those leases until they expire — a {@code 429} for their sessions
	 * at a limit of 1 (seen in {@code RedisClusterFailoverTests}). So the leases freed in
	 * the moments before are freed again once Redis answers; a lease id is never reused,
	 * so freeing one twice does nothing.
	 */
	void storeFailed() {
		long now = System.nanoTime();
		long from;
		synchronized (this.replayLock) {
			if (now - this.replayedAtNanos < REPLAY_PAUSE_NANOS) {
				return;
			}
			from = Math.max(this.replayedAtNanos, now - RECENT_WINDOW_NANOS);
			this.replayedAtNanos = now;
		}
		int queued = 0;
		for (int i = 0; i < RECENT_ENDS; i++) {
			RedisPermit end = this.recentEnds.get(i);
			if (end != null && this.recentEndTimes.get(i) - from > 0) {
				this.pendingReleases.add(new PendingRelease(end.sessionId(), end.leaseId(), false, now));
				queued++;
			}
		}
		if (queued > 0) {
			try {
				this.executor.execute(this::releasePending);
			}
			catch (RejectedExecutionException ex) {
				// closed: the leases expire by themselves
			}
		}
	}

	int held() {
		return this.inFlight.size();
	}

	int pending() {
		return this.pendingReleases.size();
	}

	/**
	 * Frees abandoned leases, each on its own and without waiting for the circuit
	 * breaker: in a Redis Cluster one master may be away while the others answer, so a
	 * lease that cannot be freed yet does not hold back the others; those that failed are
	 * tried again shortly.
	 */
	private void releasePending() {
		if (this.pendingReleases.isEmpty() || !this.releasing.compareAndSet(false, true)) {
			return;
		}
		try {
			long expired = System.nanoTime() - 2 * this.leaseTime.toNanos();
			for (PendingRelease next : this.pendingReleases) {
				if (next.sinceNanos() - expired > 0) {
					try {
						this.scripts.releaseLease(next.sessionId(), next.leaseId(), next.mark());
					}
					catch (RuntimeException ex) {
						logger.debug("Could not free an abandoned lease yet", ex);
						continue;
					}
				}
				// freed, or expired by itself long ago
				this.pendingReleases.remove(next);
			}
		}
		finally {
			this.releasing.set(false);
		}
	}

	private void renew() {
		long threshold = System.nanoTime() - this.leaseTime.toNanos() / 3;
		for (RedisPermit permit : this.inFlight) {
			if (permit.renewedAtNanos() - threshold <= 0) {
				try {
					this.scripts.renewLease(permit.sessionId(), permit.leaseId(), this.leaseTime.toMillis());
					permit.renewedAtNanos(System.nanoTime());
				}
				catch (RuntimeException ex) {
					logger.debug("Could not renew a lease of {}", permit, ex);
				}
			}
		}
	}

	/**
	 * Stops renewing and frees this node's leases now: other nodes need not wait for them
	 * to expire.
	 */
	@Override
	public void close() {
		this.executor.shutdownNow();
		try {
			// a release in progress holds the queue; let it finish first
			this.executor.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (RedisPermit permit : this.inFlight) {
			this.pendingReleases
				.add(new PendingRelease(permit.sessionId(), permit.leaseId(), false, System.nanoTime()));
		}
		this.inFlight.clear();
		releasePending();
	}

	/**
	 * A lease to free: its request's admission timed out or its end failed.
	 */
	private record PendingRelease(String sessionId, String leaseId, boolean mark, long sinceNanos) {
	}

}
