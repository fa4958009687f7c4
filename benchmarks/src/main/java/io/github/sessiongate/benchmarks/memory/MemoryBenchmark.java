package io.github.sessiongate.benchmarks.memory;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.sessiongate.benchmarks.Table;
import io.github.sessiongate.ledger.Admission;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.RequestOutcome;
import io.github.sessiongate.ledger.RequestStart;
import io.github.sessiongate.ledger.SessionStats;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.testsupport.MutableClock;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.util.Multiset;

/**
 * What the in-memory ledger costs in memory per idle session, and what its sweeper costs
 * as sessions expire.
 *
 * <p>
 * Footprint: N sessions, each with one finished request and no user, the way a visitor
 * who looked at one page leaves them. Heap used after full GCs is read before and after;
 * the session id strings are created first and kept alive by the benchmark, so the first
 * delta is the ledger's own state, then they are dropped so the second delta includes
 * them (the ledger keeps the id as its map key; with {@code MapSessionRepository} the
 * same string is shared with the session). JOL then counts the ledger's objects by class
 * for the smallest size.
 *
 * <p>
 * Sweep: with a controllable clock, one sweep with nothing expired (the periodic scan),
 * one after the idle timeout (ends all N sessions) and one after the history retention
 * (forgets them).
 */
public final class MemoryBenchmark {

	static {
		// JOL cannot ask Unsafe for the field offsets of records (the ledger keeps some,
		// e.g. a session's origin); its own probe finds them instead
		if (System.getProperty("jol.magicFieldOffset") == null) {
			System.setProperty("jol.magicFieldOffset", "true");
		}
	}

	private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);

	private static final Duration RETENTION = InMemorySessionLedger.DEFAULT_HISTORY_RETENTION;

	private static final RequestOutcome OUTCOME = new RequestOutcome(25_000, false);

	private MemoryBenchmark() {
	}

	/**
	 * Runs the footprint and sweep measurements and prints their tables.
	 * @param sizes the session counts, e.g. 100 000 and 1 000 000
	 * @param out where to print
	 * @return bytes of ledger state per session (ids excluded), by size, in order
	 */
	public static List<Double> run(int[] sizes, PrintStream out) {
		Table footprint = new Table("sessions", "ledger state B/session (id excluded)", "with the id string B/session",
				"id string B");
		Table sweeps = new Table("sessions", "sweep, none expired", "sweep, all expire", "sweep, all forgotten",
				"per expiring session");
		List<Double> perSession = new ArrayList<>();
		String classTable = null;
		for (int size : sizes) {
			Measurement measurement = measure(size, classTable == null);
			perSession.add(measurement.withoutIds);
			if (measurement.classes != null) {
				classTable = measurement.classes;
			}
			footprint.row(Table.integer(size), Table.integer(measurement.withoutIds),
					Table.integer(measurement.withIds), Table.integer(measurement.withIds - measurement.withoutIds));
			sweeps.row(Table.integer(size), millis(measurement.scanNanos), millis(measurement.expireNanos),
					millis(measurement.forgetNanos), Table.integer(measurement.expireNanos / (double) size) + " ns");
		}
		out.println("## In-memory ledger: bytes per idle session (heap used after GC, delta)");
		out.println();
		footprint.print(out);
		if (classTable != null) {
			out.println("### Objects per session by class (JOL, " + Table.integer(sizes[0]) + " sessions)");
			out.println();
			out.println(classTable);
		}
		out.println("## In-memory ledger: sweep time (single thread)");
		out.println();
		sweeps.print(out);
		return perSession;
	}

	private static Measurement measure(int size, boolean withClasses) {
		MutableClock clock = MutableClock.startingNow();
		SessionLimits limits = SessionLimits.none();
		Measurement measurement = new Measurement();
		long base = usedAfterGc();
		String[] ids = new String[size];
		for (int i = 0; i < size; i++) {
			ids[i] = UUID.randomUUID().toString();
		}
		long withIdArray = usedAfterGc();
		InMemorySessionLedger ledger = new InMemorySessionLedger(clock, RETENTION);
		Instant created = clock.instant();
		for (String id : ids) {
			Admission admission = ledger.begin(new RequestStart(id, null, created, IDLE_TIMEOUT, limits));
			if (!(admission instanceof Admission.Admitted admitted)) {
				throw new IllegalStateException("not admitted: " + admission);
			}
			ledger.end(admitted.permit(), OUTCOME);
		}
		long withLedger = usedAfterGc();
		measurement.withoutIds = (withLedger - withIdArray) / (double) size;
		ids = null;
		long ledgerOnly = usedAfterGc();
		measurement.withIds = (ledgerOnly - base) / (double) size;
		if (withClasses) {
			measurement.classes = classTable(GraphLayout.parseInstance(ledger), size);
		}
		long start = System.nanoTime();
		List<SessionStats> none = ledger.sweep(limits);
		measurement.scanNanos = System.nanoTime() - start;
		clock.advance(IDLE_TIMEOUT.plusSeconds(1));
		start = System.nanoTime();
		List<SessionStats> expired = ledger.sweep(limits);
		measurement.expireNanos = System.nanoTime() - start;
		clock.advance(RETENTION.plusSeconds(1));
		start = System.nanoTime();
		ledger.sweep(limits);
		measurement.forgetNanos = System.nanoTime() - start;
		if (!none.isEmpty() || expired.size() != size || ledger.size() != 0) {
			throw new IllegalStateException("sweep did not behave: " + none.size() + " ended early, " + expired.size()
					+ " expired, " + ledger.size() + " left");
		}
		return measurement;
	}

	private static String classTable(GraphLayout layout, int size) {
		Table table = new Table("class", "objects/session", "B/session");
		Multiset<Class<?>> sizes = layout.getClassSizes();
		Multiset<Class<?>> counts = layout.getClassCounts();
		List<Class<?>> classes = new ArrayList<>(layout.getClasses());
		classes.sort((a, b) -> Long.compare(sizes.count(b), sizes.count(a)));
		for (Class<?> type : classes) {
			double bytes = sizes.count(type) / (double) size;
			if (bytes >= 0.5) {
				table.row(type.getName(), Table.decimal(counts.count(type) / (double) size), Table.decimal(bytes));
			}
		}
		table.row("total", "", Table.decimal(layout.totalSize() / (double) size));
		java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
		table.print(new PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
		return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
	}

	private static long usedAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 4; i++) {
			System.gc();
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	private static String millis(long nanos) {
		return String.format("%.1f ms", nanos / 1e6);
	}

	private static final class Measurement {

		double withoutIds;

		double withIds;

		long scanNanos;

		long expireNanos;

		long forgetNanos;

		String classes;

	}

}
