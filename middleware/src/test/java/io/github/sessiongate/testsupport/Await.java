package io.github.sessiongate.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition that becomes true asynchronously (e.g. an async request's completion
 * callback), failing after a bound.
 */
public final class Await {

	private Await() {
	}

	public static void until(String what, BooleanSupplier condition) {
		until(what, Duration.ofSeconds(10), condition);
	}

	public static void until(String what, Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted waiting for: " + what, ex);
			}
		}
	}

}
