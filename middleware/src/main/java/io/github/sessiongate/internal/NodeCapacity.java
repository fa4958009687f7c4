package io.github.sessiongate.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests in progress on this node and admits new ones up to a maximum. Exact
 * under concurrency: a permit is taken with a compare-and-set, so the count never passes
 * the maximum even for an instant.
 *
 * @author SessionGate team
 */
public final class NodeCapacity {

	private final int maxActiveRequests;

	private final AtomicInteger active = new AtomicInteger();

	/**
	 * Creates a capacity guard.
	 * @param maxActiveRequests the most requests in progress at once; 0 for no limit
	 */
	public NodeCapacity(int maxActiveRequests) {
		if (maxActiveRequests < 0) {
			throw new IllegalArgumentException("maxActiveRequests must not be negative, was " + maxActiveRequests);
		}
		this.maxActiveRequests = maxActiveRequests;
	}

	/**
	 * Takes a permit if one is free.
	 * @return {@code true} if the request may proceed; then {@link #release()} must
	 * follow
	 */
	public boolean tryAcquire() {
		if (this.maxActiveRequests == 0) {
			this.active.incrementAndGet();
			return true;
		}
		while (true) {
			int current = this.active.get();
			if (current >= this.maxActiveRequests) {
				return false;
			}
			if (this.active.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	/**
	 * Returns a permit taken by {@link #tryAcquire()}.
	 */
	public void release() {
		this.active.decrementAndGet();
	}

	/**
	 * The requests in progress on this node.
	 * @return the current count
	 */
	public int activeRequests() {
		return this.active.get();
	}

	/**
	 * The configured maximum.
	 * @return the capacity, 0 for unlimited
	 */
	public int maxActiveRequests() {
		return this.maxActiveRequests;
	}

}
