package io.github.sessiongate.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.sessiongate.SessionStream;
import io.github.sessiongate.ledger.Permit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream open on this node: its permit, how to close it when its session ends, and
 * its single release. Owned by the {@link SessionGateCore}, which keeps every open stream
 * of the node, renews them and closes those whose session ended.
 *
 * @author SessionGate team
 */
public final class OpenStream implements SessionStream {

	private static final Logger logger = LoggerFactory.getLogger(OpenStream.class);

	private final SessionGateCore core;

	private final @Nullable Permit permit;

	private final long startNanos = System.nanoTime();

	private final long keepAliveNanos;

	private volatile long lastKeepAliveNanos = this.startNanos;

	private volatile Runnable closer;

	private volatile boolean detached;

	private final AtomicBoolean sessionEnded = new AtomicBoolean();

	private final AtomicBoolean released = new AtomicBoolean();

	OpenStream(SessionGateCore core, @Nullable Permit permit, long keepAliveNanos, Runnable closer) {
		this.core = core;
		this.permit = permit;
		this.keepAliveNanos = keepAliveNanos;
		this.closer = Objects.requireNonNull(closer, "closer cannot be null");
	}

	/**
	 * The stream's permit in the ledger, {@code null} for a stream without a session.
	 * @return the permit
	 */
	public @Nullable Permit permit() {
		return this.permit;
	}

	/**
	 * Whether an integration took the stream over from its HTTP request.
	 * @return {@code true} after {@link #detach()}
	 */
	public boolean isDetached() {
		return this.detached;
	}

	@Override
	public void detach() {
		this.detached = true;
	}

	@Override
	public void onSessionEnd(Runnable closer) {
		this.closer = Objects.requireNonNull(closer, "closer cannot be null");
		if (this.sessionEnded.get()) {
			runCloser();
		}
	}

	@Override
	public void release() {
		if (this.released.compareAndSet(false, true)) {
			this.core.streamReleased(this, System.nanoTime() - this.startNanos);
		}
	}

	@Override
	public boolean isSessionEnded() {
		return this.sessionEnded.get();
	}

	boolean isReleased() {
		return this.released.get();
	}

	/** The session ended: close the stream, once. */
	void sessionEnded() {
		if (this.sessionEnded.compareAndSet(false, true)) {
			runCloser();
		}
	}

	/** The server stops: close the stream (its session lives on). */
	void shutdown() {
		runCloser();
	}

	/**
	 * Whether the session's last access in the repository is due for renewal.
	 */
	boolean keepAliveDue(long now) {
		return now - this.lastKeepAliveNanos >= this.keepAliveNanos;
	}

	void keptAlive(long now) {
		this.lastKeepAliveNanos = now;
	}

	private void runCloser() {
		try {
			this.closer.run();
		}
		catch (RuntimeException ex) {
			logger.debug("Closing a stream of an ended session failed", ex);
		}
	}

	@Override
	public String toString() {
		return "OpenStream[" + this.permit + "]";
	}

}
