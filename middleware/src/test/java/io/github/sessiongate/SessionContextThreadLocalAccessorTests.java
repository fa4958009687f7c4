package io.github.sessiongate;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.slf4j.MDC;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionContextThreadLocalAccessor}: the accessor itself, its
 * registration, and what Spring's {@link ContextPropagatingTaskDecorator} does with it on
 * pooled platform threads and pooled virtual threads.
 *
 * @author SessionGate team
 */
class SessionContextThreadLocalAccessorTests {

	private static final SessionContext ALICE = new SessionContext("5b0c9a8e-3f1d-4c2b-9e7a-1d2c3b4a5f6e", "alice",
			null, null, "203.0.113.9", "agent", Instant.EPOCH, Map.of());

	private final SessionContextThreadLocalAccessor accessor = new SessionContextThreadLocalAccessor();

	private final ContextPropagatingTaskDecorator decorator = new ContextPropagatingTaskDecorator();

	private ExecutorService executor = Executors.newSingleThreadExecutor();

	@AfterEach
	void clear() {
		SessionContextHolder.clearContext();
		this.executor.shutdownNow();
	}

	@Test
	void keyIsTheContextsClassName() {
		assertThat(this.accessor.key()).isEqualTo(SessionContext.class.getName());
	}

	@Test
	void getValueWhenNoContextThenNull() {
		assertThat(this.accessor.getValue()).isNull();
	}

	@Test
	void setValueThenHolderAndMdcHoldTheContext() {
		this.accessor.setValue(ALICE);

		assertThat(SessionContextHolder.getContext()).isSameAs(ALICE);
		assertThat(this.accessor.getValue()).isSameAs(ALICE);
		assertThat(MDC.get(SessionContextHolder.MDC_SESSION)).isEqualTo(SessionIds.shortForm(ALICE.sessionId()));
		assertThat(MDC.get(SessionContextHolder.MDC_USER)).isEqualTo("alice");
	}

	@Test
	void setValueWithoutArgumentThenHolderAndMdcAreCleared() {
		this.accessor.setValue(ALICE);

		this.accessor.setValue();

		assertThat(SessionContextHolder.getContext()).isNull();
		assertThat(MDC.get(SessionContextHolder.MDC_SESSION)).isNull();
		assertThat(MDC.get(SessionContextHolder.MDC_USER)).isNull();
	}

	@Test
	void registryWhenServiceLoaderUsedThenFindsTheAccessor() {
		ContextRegistry registry = new ContextRegistry().loadThreadLocalAccessors();

		assertThat(registry.getThreadLocalAccessors())
			.anySatisfy((accessor) -> assertThat(accessor).isInstanceOf(SessionContextThreadLocalAccessor.class));
	}

	@Test
	void snapshotWhenWrappedTaskRunsElsewhereThenItSeesTheContextAndMdc() throws Exception {
		SessionContextHolder.setContext(ALICE);
		Callable<Seen> task = ContextSnapshotFactory.builder().build().captureAll().wrap(Seen::now);
		SessionContextHolder.clearContext();

		Seen seen = this.executor.submit(task).get(5, TimeUnit.SECONDS);

		assertThat(seen.context()).isSameAs(ALICE);
		assertThat(seen.mdcSession()).isEqualTo(SessionIds.shortForm(ALICE.sessionId()));
		assertThat(seen.mdcUser()).isEqualTo("alice");
		assertThat(seen.thread()).isNotEqualTo(Thread.currentThread().getName());
	}

	@Test
	void decoratorWhenTaskEndsThenPooledThreadHoldsNoContext() throws Exception {
		assertNothingLeftOnThePooledThread();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void decoratorWhenTaskEndsThenPooledVirtualThreadHoldsNoContext() throws Exception {
		ThreadFactory virtualThreads = new VirtualThreadTaskExecutor("sessiongate-test-").getVirtualThreadFactory();
		this.executor = Executors.newSingleThreadExecutor(virtualThreads);
		assertNothingLeftOnThePooledThread();
	}

	/**
	 * One pooled thread runs a decorated task that sees the context, then a plain task on
	 * the same thread: it must see nothing.
	 */
	private void assertNothingLeftOnThePooledThread() throws Exception {
		SessionContextHolder.setContext(ALICE);
		Seen inside = submitDecorated(Seen::now);
		SessionContextHolder.clearContext();
		Seen after = this.executor.submit(Seen::now).get(5, TimeUnit.SECONDS);

		assertThat(inside.context()).isSameAs(ALICE);
		assertThat(after.thread()).isEqualTo(inside.thread());
		assertThat(after.context()).isNull();
		assertThat(after.mdcSession()).isNull();
		assertThat(after.mdcUser()).isNull();
	}

	/**
	 * Spring Security's accessor once handed the caller's mutable security context to the
	 * task, so a task that changed it changed the caller's authentication. A task that
	 * replaces the session context changes its own thread only.
	 */
	@Test
	void decoratorWhenTaskReplacesTheContextThenCallerKeepsItsOwn() throws Exception {
		SessionContextHolder.setContext(ALICE);

		Seen inside = submitDecorated(() -> {
			SessionContextHolder.setContext(ALICE.withUserId("mallory"));
			return Seen.now();
		});

		assertThat(inside.context().userId()).isEqualTo("mallory");
		assertThat(inside.mdcUser()).isEqualTo("mallory");
		assertThat(SessionContextHolder.getContext()).isSameAs(ALICE);
		assertThat(MDC.get(SessionContextHolder.MDC_USER)).isEqualTo("alice");
		Seen after = this.executor.submit(Seen::now).get(5, TimeUnit.SECONDS);
		assertThat(after.context()).isNull();
		assertThat(after.mdcUser()).isNull();
	}

	@Test
	void decoratorWhenWorkerThreadHadItsOwnContextThenItIsRestoredAfterTheTask() throws Exception {
		SessionContext workers = ALICE.withUserId("worker");
		this.executor.submit(() -> SessionContextHolder.setContext(workers)).get(5, TimeUnit.SECONDS);
		SessionContextHolder.setContext(ALICE);

		Seen inside = submitDecorated(Seen::now);
		Seen after = this.executor.submit(Seen::now).get(5, TimeUnit.SECONDS);

		assertThat(inside.context()).isSameAs(ALICE);
		assertThat(after.context()).isSameAs(workers);
		assertThat(after.mdcUser()).isEqualTo("worker");
	}

	@Test
	void decoratorWhenCallerHasNoContextThenTaskSeesNone() throws Exception {
		Seen inside = submitDecorated(Seen::now);

		assertThat(inside.context()).isNull();
		assertThat(inside.mdcSession()).isNull();
	}

	@Test
	void snapshotWhenTaskFailsThenPooledThreadHoldsNoContext() throws Exception {
		SessionContextHolder.setContext(ALICE);
		ContextSnapshot snapshot = ContextSnapshotFactory.builder().build().captureAll();
		SessionContextHolder.clearContext();
		this.executor.submit(snapshot.wrap((Runnable) () -> {
			throw new IllegalStateException("boom");
		}));

		Seen after = this.executor.submit(Seen::now).get(5, TimeUnit.SECONDS);

		assertThat(after.context()).isNull();
		assertThat(after.mdcSession()).isNull();
	}

	private Seen submitDecorated(Callable<Seen> task) throws Exception {
		Seen[] seen = new Seen[1];
		Runnable decorated = this.decorator.decorate(() -> {
			try {
				seen[0] = task.call();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		this.executor.submit(decorated).get(5, TimeUnit.SECONDS);
		return seen[0];
	}

	/**
	 * What a thread holds.
	 */
	record Seen(SessionContext context, String mdcSession, String mdcUser, String thread) {

		static Seen now() {
			return new Seen(SessionContextHolder.getContext(), MDC.get(SessionContextHolder.MDC_SESSION),
					MDC.get(SessionContextHolder.MDC_USER), String.valueOf(Thread.currentThread().getId()));
		}

	}

}
