package io.github.sessiongate.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.limit.Limit;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.limit.SessionsPerUserPolicy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The semantics every {@link SessionLedger} keeps, checked the same way for each
 * implementation: a subclass only says how to create its ledger. Time-based rules use
 * short real durations (ledgers may read their clock from a server, which tests cannot
 * move).
 */
public abstract class SessionLedgerContractTests {

	/** History retention of the ledger most tests use (long enough not to matter). */
	protected static final Duration LONG_RETENTION = Duration.ofMinutes(10);

	private static final Duration IDLE = Duration.ofMinutes(30);

	private final List<SessionLedger> ledgers = new ArrayList<>();

	private SessionLedger ledger;

	/**
	 * Creates the ledger under test. Each call must return a ledger whose state is
	 * independent of other calls' ledgers.
	 * @param historyRetention how long ended sessions stay readable
	 * @return a new ledger
	 */
	protected abstract SessionLedger createLedger(Duration historyRetention);

	@BeforeEach
	void createDefaultLedger() {
		this.ledger = ledger(LONG_RETENTION);
	}

	@AfterEach
	void closeLedgers() {
		this.ledgers.forEach(SessionLedger::close);
	}

	protected SessionLedger ledger(Duration historyRetention) {
		SessionLedger created = createLedger(historyRetention);
		this.ledgers.add(created);
		return created;
	}

	protected List<SessionLedger> ledgers() {
		return this.ledgers;
	}

	@Test
	void beginWhenNewSessionThenCreatesActiveRecordAndAdmits() {
		String id = newId();
		Admission first = begin(id, "acme", SessionLimits.none());
		Admission second = begin(id, "acme", SessionLimits.none());

		assertThat(first).isInstanceOfSatisfying(Admission.Admitted.class, (admitted) -> {
			assertThat(admitted.created()).isTrue();
			assertThat(admitted.userId()).isNull();
			assertThat(admitted.permit().sessionId()).isEqualTo(id);
		});
		assertThat(second).isInstanceOfSatisfying(Admission.Admitted.class,
				(admitted) -> assertThat(admitted.created()).isFalse());
		SessionStats stats = this.ledger.find(id);
		assertThat(stats).isNotNull();
		assertThat(stats.status()).isEqualTo(SessionStatus.ACTIVE);
		assertThat(stats.tenant()).isEqualTo("acme");
		assertThat(stats.requestCount()).isEqualTo(2);
		assertThat(stats.activeRequests()).isEqualTo(2);
		assertThat(this.ledger.activeSessions()).isEqualTo(1);
	}

	@Test
	void findWhenUnknownThenNull() {
		assertThat(this.ledger.find(newId())).isNull();
		assertThat(this.ledger.findByUser("nobody")).isEmpty();
		assertThat(this.ledger.endSession(newId(), SessionStatus.COMPLETED, "logout")).isNull();
	}

	@Test
	void endWhenRequestsFinishThenRecordsDurationErrorsAndReleasesPermits() {
		String id = newId();
		Permit first = admitted(begin(id, null, SessionLimits.none()));
		Permit second = admitted(begin(id, null, SessionLimits.none()));

		this.ledger.end(first, new RequestOutcome(Duration.ofMillis(5).toNanos(), false));
		this.ledger.end(second, new RequestOutcome(Duration.ofMillis(7).toNanos(), true));

		SessionStats stats = this.ledger.find(id);
		assertThat(stats.activeRequests()).isZero();
		assertThat(stats.requestCount()).isEqualTo(2);
		assertThat(stats.errorCount()).isEqualTo(1);
		assertThat(stats.totalProcessingTime()).isEqualTo(Duration.ofMillis(12));
		assertThat(stats.maxProcessingTime()).isEqualTo(Duration.ofMillis(7));
		assertThat(stats.tenant()).isNull();
	}

	@Test
	void beginWhenAtConcurrencyLimitThenRejects() {
		String id = newId();
		SessionLimits limits = SessionLimits.builder()
			.maxConcurrentRequestsPerSession(3)
			.retryAfter(Duration.ofSeconds(2))
			.build();
		List<Permit> permits = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			permits.add(admitted(begin(id, null, limits)));
		}

		Admission fourth = begin(id, null, limits);

		assertThat(fourth).isEqualTo(new Admission.Rejected(Limit.SESSION_CONCURRENCY, Duration.ofSeconds(2)));
		SessionStats stats = this.ledger.find(id);
		assertThat(stats.activeRequests()).isEqualTo(3);
		assertThat(stats.requestCount()).isEqualTo(3);
		assertThat(stats.rejectionCount()).isEqualTo(1);
		this.ledger.end(permits.get(0), new RequestOutcome(1, false));
		assertThat(begin(id, null, limits)).isInstanceOf(Admission.Admitted.class);
	}

	@Test
	void beginWhenRateExhaustedThenRejectsWithRetryAfterFromBucket() {
		String id = newId();
		SessionLimits limits = SessionLimits.builder().rate(new RateLimit(3, Duration.ofSeconds(30))).build();
		for (int i = 0; i < 3; i++) {
			this.ledger.end(admitted(begin(id, null, limits)), new RequestOutcome(1, false));
		}

		Admission fourth = begin(id, null, limits);

		// one token takes 10 s; a few milliseconds passed, so the wait rounds up to 10 s
		assertThat(fourth).isEqualTo(new Admission.Rejected(Limit.RATE, Duration.ofSeconds(10)));
		SessionStats stats = this.ledger.find(id);
		assertThat(stats.requestCount()).isEqualTo(3);
		assertThat(stats.rejectionCount()).isEqualTo(1);
		assertThat(stats.activeRequests()).isZero();
	}

	@Test
	void beginWhenRateLimitedThenReportsWholeTokensLeft() {
		String id = newId();
		SessionLimits limits = SessionLimits.builder().rate(new RateLimit(3, Duration.ofSeconds(30))).build();
		long[] remaining = new long[3];
		for (int i = 0; i < 3; i++) {
			Admission.Admitted admitted = (Admission.Admitted) begin(id, null, limits);
			remaining[i] = admitted.rateRemaining();
			this.ledger.end(admitted.permit(), new RequestOutcome(1, false));
		}

		assertThat(remaining).containsExactly(2, 1, 0);
		assertThat(((Admission.Admitted) begin(newId(), null, SessionLimits.none())).rateRemaining()).isEqualTo(-1);
	}

	@Test
	void belongsToTenantWhenCheckedThenOnlyTheCreatingTenantOwnsTheSession() {
		String acme = newId();
		String untenanted = newId();
		admitted(begin(acme, "acme", SessionLimits.none()));
		admitted(begin(untenanted, null, SessionLimits.none()));

		assertThat(this.ledger.belongsToTenant(acme, "acme")).isTrue();
		assertThat(this.ledger.belongsToTenant(acme, "globex")).isFalse();
		assertThat(this.ledger.belongsToTenant(acme, null)).isFalse();
		assertThat(this.ledger.belongsToTenant(untenanted, null)).isTrue();
		assertThat(this.ledger.belongsToTenant(untenanted, "acme")).isFalse();
		assertThat(this.ledger.belongsToTenant(newId(), "anyone")).isTrue();
	}

	@Test
	void beginWhenRateTokenRefilledThenAdmitsAgain() throws InterruptedException {
		String id = newId();
		SessionLimits limits = SessionLimits.builder().rate(new RateLimit(1, Duration.ofMillis(300))).build();
		this.ledger.end(admitted(begin(id, null, limits)), new RequestOutcome(1, false));
		assertThat(begin(id, null, limits)).isEqualTo(new Admission.Rejected(Limit.RATE, Duration.ofSeconds(1)));

		Thread.sleep(350);

		assertThat(begin(id, null, limits)).isInstanceOf(Admission.Admitted.class);
	}

	@Test
	void beginWhenConcurrencyRejectsThenNoRateTokenIsTaken() {
		String id = newId();
		SessionLimits limits = SessionLimits.builder()
			.maxConcurrentRequestsPerSession(1)
			.rate(new RateLimit(2, Duration.ofMinutes(1)))
			.build();
		Permit held = admitted(begin(id, null, limits));
		assertThat(begin(id, null, limits)).isInstanceOfSatisfying(Admission.Rejected.class,
				(rejected) -> assertThat(rejected.limit()).isEqualTo(Limit.SESSION_CONCURRENCY));
		this.ledger.end(held, new RequestOutcome(1, false));

		assertThat(begin(id, null, limits)).isInstanceOf(Admission.Admitted.class);
	}

	@Test
	void beginWhenTenantAtMaxSessionsThenRejectsNewSessionsOnly() {
		SessionLimits limits = SessionLimits.builder().maxSessions(2).retryAfter(Duration.ofSeconds(3)).build();
		String first = newId();
		String second = newId();
		String third = newId();
		admitted(begin(first, "a", limits));
		admitted(begin(second, "a", limits));

		assertThat(begin(third, "a", limits))
			.isEqualTo(new Admission.Rejected(Limit.MAX_SESSIONS, Duration.ofSeconds(3)));
		assertThat(this.ledger.find(third)).isNull();
		assertThat(begin(first, "a", limits)).isInstanceOf(Admission.Admitted.class);
		assertThat(begin(newId(), "b", limits)).isInstanceOf(Admission.Admitted.class);
		assertThat(this.ledger.activeSessions()).isEqualTo(3);

		this.ledger.endSession(first, SessionStatus.COMPLETED, "logout");

		assertThat(begin(third, "a", limits)).isInstanceOfSatisfying(Admission.Admitted.class,
				(admitted) -> assertThat(admitted.created()).isTrue());
	}

	@Test
	void beginWhenSessionOlderThanAbsoluteTimeoutThenEndsItExpired() {
		String id = newId();
		SessionLimits limits = SessionLimits.builder().absoluteTimeout(Duration.ofSeconds(1)).build();
		admitted(begin(id, null, Instant.now().minusMillis(500), limits));

		Admission late = begin(id, null, Instant.now().minusSeconds(2), limits);
		Admission again = begin(id, null, Instant.now().minusSeconds(2), limits);

		// the record keeps the creation time it was created with
		assertThat(late).isInstanceOf(Admission.Admitted.class);
		String old = newId();
		Admission expired = begin(old, null, Instant.now().minusSeconds(2), limits);
		assertThat(expired).isInstanceOfSatisfying(Admission.Ended.class, (ended) -> {
			assertThat(ended.endedNow()).isTrue();
			assertThat(ended.stats().status()).isEqualTo(SessionStatus.EXPIRED);
			assertThat(ended.stats().endReason()).isEqualTo("absolute-timeout");
			assertThat(ended.stats().endedAt()).isNotNull();
		});
		assertThat(begin(old, null, Instant.now().minusSeconds(2), limits))
			.isInstanceOfSatisfying(Admission.Ended.class, (ended) -> assertThat(ended.endedNow()).isFalse());
		assertThat(again).isInstanceOf(Admission.Admitted.class);
		assertThat(this.ledger.activeSessions()).isEqualTo(1);
	}

	@Test
	void beginWhenSessionEndedThenReturnsEndedWithoutPermit() {
		String id = newId();
		this.ledger.end(admitted(begin(id, null, SessionLimits.none())), new RequestOutcome(1, false));
		SessionStats ended = this.ledger.endSession(id, SessionStatus.FAILED, "error-rate");

		Admission admission = begin(id, null, SessionLimits.none());

		assertThat(ended.status()).isEqualTo(SessionStatus.FAILED);
		assertThat(ended.endReason()).isEqualTo("error-rate");
		assertThat(admission).isInstanceOfSatisfying(Admission.Ended.class, (result) -> {
			assertThat(result.endedNow()).isFalse();
			assertThat(result.stats().status()).isEqualTo(SessionStatus.FAILED);
			assertThat(result.stats().requestCount()).isEqualTo(1);
		});
		assertThat(this.ledger.endSession(id, SessionStatus.COMPLETED, "again")).isNull();
		assertThat(this.ledger.activeSessions()).isZero();
	}

	@Test
	void beginWhenOtherTenantThenForeignTenantAndNothingCounted() {
		String id = newId();
		admitted(begin(id, "a", SessionLimits.none()));

		assertThat(begin(id, "b", SessionLimits.none())).isInstanceOf(Admission.ForeignTenant.class);
		assertThat(begin(id, null, SessionLimits.none())).isInstanceOf(Admission.ForeignTenant.class);
		SessionStats stats = this.ledger.find(id);
		assertThat(stats.requestCount()).isEqualTo(1);
		assertThat(stats.rejectionCount()).isZero();
		assertThat(stats.activeRequests()).isEqualTo(1);
	}

	@Test
	void bindUserWhenAtLimitAndRejectNewThenRejects() {
		SessionLimits limits = SessionLimits.builder()
			.maxSessionsPerUser(2)
			.sessionsPerUserPolicy(SessionsPerUserPolicy.REJECT_NEW)
			.build();
		String user = "user-" + newId();
		List<String> ids = List.of(newId(), newId(), newId());
		ids.forEach((id) -> admitted(begin(id, null, limits)));

		assertThat(this.ledger.bindUser(ids.get(0), user, limits).outcome()).isEqualTo(BindResult.Outcome.BOUND);
		assertThat(this.ledger.bindUser(ids.get(1), user, limits).outcome()).isEqualTo(BindResult.Outcome.BOUND);
		BindResult third = this.ledger.bindUser(ids.get(2), user, limits);

		assertThat(third.outcome()).isEqualTo(BindResult.Outcome.REJECTED);
		assertThat(third.endedSessions()).isEmpty();
		assertThat(this.ledger.find(ids.get(2)).userId()).isNull();
		assertThat(this.ledger.findByUser(user)).extracting(SessionStats::sessionId)
			.containsExactlyInAnyOrder(ids.get(0), ids.get(1));
		assertThat(this.ledger.bindUser(ids.get(0), user, limits).outcome())
			.isEqualTo(BindResult.Outcome.ALREADY_BOUND);

		this.ledger.endSession(ids.get(0), SessionStatus.COMPLETED, "logout");

		assertThat(this.ledger.bindUser(ids.get(2), user, limits).outcome()).isEqualTo(BindResult.Outcome.BOUND);
	}

	@Test
	void bindUserWhenAtLimitAndEndOldestThenEndsLeastRecentlyActive() throws InterruptedException {
		SessionLimits limits = SessionLimits.builder()
			.maxSessionsPerUser(2)
			.sessionsPerUserPolicy(SessionsPerUserPolicy.END_OLDEST)
			.build();
		String user = "user-" + newId();
		String first = newId();
		String second = newId();
		String third = newId();
		this.ledger.end(admitted(begin(first, null, limits)), new RequestOutcome(1, false));
		this.ledger.bindUser(first, user, limits);
		Thread.sleep(5);
		this.ledger.end(admitted(begin(second, null, limits)), new RequestOutcome(1, false));
		this.ledger.bindUser(second, user, limits);
		Thread.sleep(5);
		// the first session is used again: now the second is the least recently active
		this.ledger.end(admitted(begin(first, null, limits)), new RequestOutcome(1, false));
		Thread.sleep(5);
		admitted(begin(third, null, limits));

		BindResult result = this.ledger.bindUser(third, user, limits);

		assertThat(result.outcome()).isEqualTo(BindResult.Outcome.BOUND);
		assertThat(result.endedSessions()).singleElement().satisfies((ended) -> {
			assertThat(ended.sessionId()).isEqualTo(second);
			assertThat(ended.status()).isEqualTo(SessionStatus.COMPLETED);
			assertThat(ended.endReason()).isEqualTo("session-limit");
		});
		assertThat(this.ledger.find(second).status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(liveSessionsOf(user)).containsExactlyInAnyOrder(first, third);
		assertThat(this.ledger.findByUser(user)).hasSize(3);
	}

	@Test
	void bindUserWhenSessionUnknownOrEndedThenUnknownSession() {
		String id = newId();
		admitted(begin(id, null, SessionLimits.none()));
		this.ledger.endSession(id, SessionStatus.COMPLETED, "logout");

		assertThat(this.ledger.bindUser(newId(), "u", SessionLimits.none()).outcome())
			.isEqualTo(BindResult.Outcome.UNKNOWN_SESSION);
		assertThat(this.ledger.bindUser(id, "u", SessionLimits.none()).outcome())
			.isEqualTo(BindResult.Outcome.UNKNOWN_SESSION);
	}

	@Test
	void bindUserWhenRebindingToOtherUserThenMovesBetweenIndexes() {
		String id = newId();
		Admission admission = begin(id, null, SessionLimits.none());
		admitted(admission);
		this.ledger.bindUser(id, "alice-" + id, SessionLimits.none());

		this.ledger.bindUser(id, "bob-" + id, SessionLimits.none());

		assertThat(this.ledger.findByUser("alice-" + id)).isEmpty();
		assertThat(this.ledger.findByUser("bob-" + id)).extracting(SessionStats::sessionId).containsExactly(id);
		assertThat(begin(id, null, SessionLimits.none())).isInstanceOfSatisfying(Admission.Admitted.class,
				(admitted) -> assertThat(admitted.userId()).isEqualTo("bob-" + id));
	}

	@Test
	void bindUserWhenManyThreadsBindOneUserWithRejectNewThenExactlyMaxBound() throws Exception {
		SessionLimits limits = SessionLimits.builder()
			.maxSessionsPerUser(3)
			.sessionsPerUserPolicy(SessionsPerUserPolicy.REJECT_NEW)
			.build();
		String user = "user-" + newId();
		List<BindResult> results = bindConcurrently(user, limits, 16);

		assertThat(results).filteredOn((result) -> result.outcome() == BindResult.Outcome.BOUND).hasSize(3);
		assertThat(results).filteredOn((result) -> result.outcome() == BindResult.Outcome.REJECTED).hasSize(13);
		assertThat(liveSessionsOf(user)).hasSize(3);
	}

	@Test
	void bindUserWhenManyThreadsBindOneUserWithEndOldestThenMaxLiveRemain() throws Exception {
		SessionLimits limits = SessionLimits.builder()
			.maxSessionsPerUser(3)
			.sessionsPerUserPolicy(SessionsPerUserPolicy.END_OLDEST)
			.build();
		String user = "user-" + newId();
		List<BindResult> results = bindConcurrently(user, limits, 16);

		assertThat(results).noneMatch((result) -> result.outcome() == BindResult.Outcome.REJECTED);
		assertThat(liveSessionsOf(user)).hasSize(3);
		long ended = results.stream().mapToLong((result) -> result.endedSessions().size()).sum();
		assertThat(ended).isEqualTo(13);
		assertThat(this.ledger.findByUser(user)).filteredOn((stats) -> stats.status() == SessionStatus.COMPLETED)
			.hasSize(13)
			.allSatisfy((stats) -> assertThat(stats.endReason()).isEqualTo("session-limit"));
	}

	@Test
	void changeSessionIdWhenKnownThenStateHistoryAndIndexesFollow() {
		String oldId = newId();
		String newId = newId();
		String user = "user-" + oldId;
		SessionLimits limits = SessionLimits.builder().maxSessions(5).maxSessionsPerUser(1).build();
		this.ledger.end(admitted(begin(oldId, "t", limits)), new RequestOutcome(Duration.ofMillis(3).toNanos(), true));
		this.ledger.bindUser(oldId, user, limits);
		Permit inProgress = admitted(begin(oldId, "t", limits));

		assertThat(this.ledger.changeSessionId(oldId, newId)).isTrue();

		assertThat(this.ledger.find(oldId)).isNull();
		assertThat(inProgress.sessionId()).isEqualTo(newId);
		this.ledger.end(inProgress, new RequestOutcome(Duration.ofMillis(4).toNanos(), false));
		SessionStats stats = this.ledger.find(newId);
		assertThat(stats.sessionId()).isEqualTo(newId);
		assertThat(stats.requestCount()).isEqualTo(2);
		assertThat(stats.errorCount()).isEqualTo(1);
		assertThat(stats.activeRequests()).isZero();
		assertThat(stats.totalProcessingTime()).isEqualTo(Duration.ofMillis(7));
		assertThat(stats.userId()).isEqualTo(user);
		assertThat(stats.tenant()).isEqualTo("t");
		assertThat(this.ledger.findByUser(user)).extracting(SessionStats::sessionId).containsExactly(newId);
		assertThat(begin(newId, "t", limits)).isInstanceOfSatisfying(Admission.Admitted.class, (admitted) -> {
			assertThat(admitted.created()).isFalse();
			assertThat(admitted.userId()).isEqualTo(user);
		});
		assertThat(this.ledger.activeSessions()).isEqualTo(1);
		// the user's one allowed session is the new id: binding it again changes nothing
		assertThat(this.ledger.bindUser(newId, user, limits).outcome()).isEqualTo(BindResult.Outcome.ALREADY_BOUND);
		assertThat(this.ledger.changeSessionId(newId(), newId())).isFalse();
	}

	@Test
	void beginWhenSessionCreatedThenRecordsItsOriginAndLaterRequestsKeepIt() {
		String id = newId();
		SessionOrigin first = new SessionOrigin("dev-1", "203.0.113.0", "Firefox/140");
		admitted(this.ledger.begin(new RequestStart(id, "t", Instant.now(), IDLE, SessionLimits.none(), first)));
		admitted(this.ledger.begin(new RequestStart(id, "t", Instant.now(), IDLE, SessionLimits.none(),
				new SessionOrigin("dev-2", "198.51.100.0", "curl/8"))));

		assertThat(this.ledger.find(id).origin()).isEqualTo(first);
	}

	@Test
	void bindUserWhenLoginOriginGivenThenReplacesOriginWhichFollowsIdChangeAndEnd() {
		String id = newId();
		String newId = newId();
		String user = "user-" + id;
		admitted(this.ledger.begin(new RequestStart(id, null, Instant.now(), IDLE, SessionLimits.none(),
				new SessionOrigin(null, "203.0.113.0", "anonymous-agent"))));
		SessionOrigin login = new SessionOrigin("laptop", "198.51.100.0", "Firefox/140");

		assertThat(this.ledger.bindUser(id, user, SessionLimits.none(), login).outcome())
			.isEqualTo(BindResult.Outcome.BOUND);
		assertThat(this.ledger.find(id).origin()).isEqualTo(login);
		// binding again without an origin keeps it; with one, replaces it
		this.ledger.bindUser(id, user, SessionLimits.none());
		assertThat(this.ledger.find(id).origin()).isEqualTo(login);
		SessionOrigin again = new SessionOrigin(null, "192.0.2.0", null);
		assertThat(this.ledger.bindUser(id, user, SessionLimits.none(), again).outcome())
			.isEqualTo(BindResult.Outcome.ALREADY_BOUND);
		assertThat(this.ledger.find(id).origin()).isEqualTo(again);
		this.ledger.changeSessionId(id, newId);
		assertThat(this.ledger.findByUser(user)).singleElement()
			.satisfies((stats) -> assertThat(stats.origin()).isEqualTo(again));
		this.ledger.endSession(newId, SessionStatus.COMPLETED, "logout");
		assertThat(this.ledger.find(newId).origin()).isEqualTo(again);
	}

	@Test
	void beginWhenOriginHugeOrHostileThenStoresItBounded() {
		String id = newId();
		String agent = "Mozilla/5.0 \u0000\r\n" + "x".repeat(100_000);
		admitted(this.ledger.begin(new RequestStart(id, null, Instant.now(), IDLE, SessionLimits.none(),
				new SessionOrigin("d".repeat(10_000), "1".repeat(1000), agent))));

		SessionOrigin stored = this.ledger.find(id).origin();
		assertThat(stored.userAgent()).hasSize(SessionOrigin.MAX_USER_AGENT - 3).startsWith("Mozilla/5.0 xxx");
		assertThat(stored.deviceId()).hasSize(SessionOrigin.MAX_DEVICE_ID);
		assertThat(stored.clientIp()).hasSize(SessionOrigin.MAX_CLIENT_IP);
	}

	@Test
	void changeSessionIdWhenEndedThenHistoryFollows() {
		String oldId = newId();
		String newId = newId();
		admitted(begin(oldId, null, SessionLimits.none()));
		this.ledger.endSession(oldId, SessionStatus.COMPLETED, "logout");

		assertThat(this.ledger.changeSessionId(oldId, newId)).isTrue();

		assertThat(this.ledger.find(newId).status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(this.ledger.findByStatus(SessionStatus.COMPLETED, 100)).extracting(SessionStats::sessionId)
			.contains(newId)
			.doesNotContain(oldId);
	}

	@Test
	void sweepWhenSessionIdlePastTimeoutThenEndsItExpired() throws InterruptedException {
		String idle = newId();
		String busy = newId();
		String fresh = newId();
		Duration timeout = Duration.ofMillis(200);
		this.ledger.end(admitted(begin(idle, null, Instant.now(), timeout, SessionLimits.none())),
				new RequestOutcome(1, false));
		admitted(begin(busy, null, Instant.now(), timeout, SessionLimits.none()));

		Thread.sleep(350);
		admitted(begin(fresh, null, Instant.now(), timeout, SessionLimits.none()));
		List<SessionStats> ended = this.ledger.sweep(SessionLimits.none());

		assertThat(ended).singleElement().satisfies((stats) -> {
			assertThat(stats.sessionId()).isEqualTo(idle);
			assertThat(stats.status()).isEqualTo(SessionStatus.EXPIRED);
			assertThat(stats.endReason()).isEqualTo("idle-timeout");
		});
		assertThat(this.ledger.find(idle).status()).isEqualTo(SessionStatus.EXPIRED);
		assertThat(this.ledger.find(busy).status()).isEqualTo(SessionStatus.ACTIVE);
		assertThat(this.ledger.find(fresh).status()).isEqualTo(SessionStatus.ACTIVE);
		assertThat(this.ledger.activeSessions()).isEqualTo(2);
		assertThat(this.ledger.sweep(SessionLimits.none())).isEmpty();
	}

	@Test
	void sweepWhenSessionPastAbsoluteTimeoutThenEndsItWhateverItsActivity() throws InterruptedException {
		String id = newId();
		SessionLimits limits = SessionLimits.builder().absoluteTimeout(Duration.ofMillis(1000)).build();
		admitted(begin(id, null, Instant.now().minusMillis(500), limits));
		assertThat(this.ledger.sweep(limits)).isEmpty();

		Thread.sleep(600);
		List<SessionStats> ended = this.ledger.sweep(limits);

		assertThat(ended).singleElement().satisfies((stats) -> {
			assertThat(stats.sessionId()).isEqualTo(id);
			assertThat(stats.status()).isEqualTo(SessionStatus.EXPIRED);
			assertThat(stats.endReason()).isEqualTo("absolute-timeout");
			assertThat(stats.activeRequests()).isEqualTo(1);
		});
		assertThat(this.ledger.activeSessions()).isZero();
	}

	@Test
	void sweepWhenHistoryRetentionPassedThenForgetsEndedSessions() throws InterruptedException {
		SessionLedger shortMemory = ledger(Duration.ofMillis(300));
		String kept = newId();
		String forgotten = newId();
		String user = "user-" + forgotten;
		shortMemory.end(admitted(shortMemory.begin(start(forgotten, null, Instant.now(), IDLE, SessionLimits.none()))),
				new RequestOutcome(1, false));
		shortMemory.bindUser(forgotten, user, SessionLimits.none());
		shortMemory.endSession(forgotten, SessionStatus.COMPLETED, "logout");
		assertThat(shortMemory.find(forgotten)).isNotNull();
		assertThat(shortMemory.findByUser(user)).hasSize(1);

		Thread.sleep(400);
		admitted(shortMemory.begin(start(kept, null, Instant.now(), IDLE, SessionLimits.none())));
		shortMemory.sweep(SessionLimits.none());

		assertThat(shortMemory.find(forgotten)).isNull();
		assertThat(shortMemory.findByUser(user)).isEmpty();
		assertThat(shortMemory.findByStatus(SessionStatus.COMPLETED, 10)).isEmpty();
		assertThat(shortMemory.find(kept)).isNotNull();
	}

	@Test
	void recordMetadataWhenLiveThenMergedFollowsIdChangeAndStaysInHistory() {
		String id = newId();
		String newId = newId();
		String user = "user-" + id;
		admitted(begin(id, null, SessionLimits.none()));
		this.ledger.bindUser(id, user, SessionLimits.none());

		assertThat(this.ledger.recordMetadata(id, Map.of("plan", "gold"))).isTrue();
		assertThat(this.ledger.find(id).metadata()).isEqualTo(Map.of("plan", "gold"));
		Map<String, String> changes = new LinkedHashMap<>();
		changes.put("region", "eu-west");
		changes.put("plan", "silver");
		assertThat(this.ledger.recordMetadata(id, changes)).isTrue();
		assertThat(this.ledger.find(id).metadata()).containsExactly(Map.entry("plan", "silver"),
				Map.entry("region", "eu-west"));
		// an empty value removes its key, the others stay
		assertThat(this.ledger.recordMetadata(id, Map.of("plan", ""))).isTrue();
		assertThat(this.ledger.recordMetadata(id, Map.of())).isTrue();
		Map<String, String> kept = Map.of("region", "eu-west");
		assertThat(this.ledger.find(id).metadata()).isEqualTo(kept);
		this.ledger.changeSessionId(id, newId);
		assertThat(this.ledger.findByUser(user)).singleElement()
			.satisfies((stats) -> assertThat(stats.metadata()).isEqualTo(kept));
		SessionStats ended = this.ledger.endSession(newId, SessionStatus.COMPLETED, "logout");
		assertThat(ended.metadata()).isEqualTo(kept);
		assertThat(this.ledger.find(newId).metadata()).isEqualTo(kept);
		assertThat(this.ledger.recordMetadata(newId, Map.of("plan", "bronze"))).isFalse();
		assertThat(this.ledger.find(newId).metadata()).isEqualTo(kept);
		assertThat(this.ledger.recordMetadata(newId(), Map.of("plan", "gold"))).isFalse();
	}

	@Test
	void recordMetadataWhenBeyondBoundsThenRefusedAndNothingWritten() {
		String id = newId();
		admitted(begin(id, null, SessionLimits.none()));
		this.ledger.recordMetadata(id, Map.of("plan", "gold"));
		Map<String, String> tooMany = new HashMap<>();
		for (int i = 0; i <= MetadataPolicy.MAX_KEYS; i++) {
			tooMany.put("k" + i, "v");
		}
		List<Map<String, String>> hostile = List.of(tooMany,
				Map.of("plan", "x".repeat(MetadataPolicy.MAX_VALUE_LENGTH + 1)), Map.of("plan", "a\r\nb"),
				Map.of("bad key", "v"), Map.of("k".repeat(MetadataPolicy.MAX_KEY_LENGTH + 1), "v"), Map.of("", "v"));

		for (Map<String, String> metadata : hostile) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.ledger.recordMetadata(id, metadata))
				.withMessageContaining("metadata");
		}

		assertThat(this.ledger.find(id).metadata()).isEqualTo(Map.of("plan", "gold"));
		// the largest metadata there is: 16 keys of 64 characters, values of 1024
		// three-byte characters
		Map<String, String> largest = new LinkedHashMap<>();
		for (int i = 0; i < MetadataPolicy.MAX_KEYS - 1; i++) {
			largest.put(String.format("%064d", i), "\u20ac".repeat(MetadataPolicy.MAX_VALUE_LENGTH));
		}
		largest.put("plan", "\u20ac".repeat(MetadataPolicy.MAX_VALUE_LENGTH));
		assertThat(this.ledger.recordMetadata(id, largest)).isTrue();
		assertThat(this.ledger.find(id).metadata()).isEqualTo(largest);
		// one more key would make 17 entries: refused, nothing written
		assertThatIllegalArgumentException().isThrownBy(() -> this.ledger.recordMetadata(id, Map.of("one-more", "v")))
			.withMessageContaining("metadata");
		assertThat(this.ledger.find(id).metadata()).isEqualTo(largest);
	}

	@Test
	void findByReferenceWhenLiveRenamedOrEndedThenResolvesEachExactly() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String id = newId();
			admitted(begin(id, (i % 2 == 0) ? "t" : null, SessionLimits.none()));
			ids.add(id);
		}
		String renamedSameShard = ids.get(0);
		String renamedOtherShard = ids.get(1);
		String ended = ids.get(2);
		// ids whose String hash falls in the same and in another of 16 buckets: the two
		// ways a sharded index moves an entry when an id changes
		String sameShardId = idInBucket(Math.floorMod(renamedSameShard.hashCode(), 16), true);
		String otherShardId = idInBucket(Math.floorMod(renamedOtherShard.hashCode(), 16), false);
		this.ledger.changeSessionId(renamedSameShard, sameShardId);
		this.ledger.changeSessionId(renamedOtherShard, otherShardId);
		this.ledger.endSession(ended, SessionStatus.FAILED, "error-rate");
		String endedThenRenamed = ids.get(3);
		String endedNewId = newId();
		this.ledger.endSession(endedThenRenamed, SessionStatus.COMPLETED, "logout");
		this.ledger.changeSessionId(endedThenRenamed, endedNewId);

		for (String id : ids.subList(4, ids.size())) {
			SessionStats found = this.ledger.findByReference(SessionIds.shortForm(id));
			assertThat(found).isNotNull();
			assertThat(found.sessionId()).isEqualTo(id);
			assertThat(found.status()).isEqualTo(SessionStatus.ACTIVE);
		}
		assertThat(this.ledger.findByReference(SessionIds.shortForm(renamedSameShard))).isNull();
		assertThat(this.ledger.findByReference(SessionIds.shortForm(renamedOtherShard))).isNull();
		assertThat(this.ledger.findByReference(SessionIds.shortForm(sameShardId)).sessionId()).isEqualTo(sameShardId);
		assertThat(this.ledger.findByReference(SessionIds.shortForm(otherShardId)).sessionId()).isEqualTo(otherShardId);
		assertThat(this.ledger.findByReference(SessionIds.shortForm(ended)).status()).isEqualTo(SessionStatus.FAILED);
		assertThat(this.ledger.findByReference(SessionIds.shortForm(endedThenRenamed))).isNull();
		SessionStats history = this.ledger.findByReference(SessionIds.shortForm(endedNewId));
		assertThat(history.sessionId()).isEqualTo(endedNewId);
		assertThat(history.status()).isEqualTo(SessionStatus.COMPLETED);
		assertThat(this.ledger.findByReference(SessionIds.shortForm(newId()))).isNull();
	}

	@Test
	void findByReferenceWhenHistoryRetentionPassedThenForgetsTheReference() throws InterruptedException {
		SessionLedger shortMemory = ledger(Duration.ofMillis(300));
		String forgotten = newId();
		String kept = newId();
		shortMemory.end(admitted(shortMemory.begin(start(forgotten, null, Instant.now(), IDLE, SessionLimits.none()))),
				new RequestOutcome(1, false));
		shortMemory.endSession(forgotten, SessionStatus.COMPLETED, "logout");
		assertThat(shortMemory.findByReference(SessionIds.shortForm(forgotten)).status())
			.isEqualTo(SessionStatus.COMPLETED);

		Thread.sleep(400);
		admitted(shortMemory.begin(start(kept, null, Instant.now(), IDLE, SessionLimits.none())));
		shortMemory.endSession(kept, SessionStatus.COMPLETED, "logout");
		shortMemory.sweep(SessionLimits.none());

		assertThat(shortMemory.findByReference(SessionIds.shortForm(forgotten))).isNull();
		assertThat(shortMemory.findByReference(SessionIds.shortForm(kept)).sessionId()).isEqualTo(kept);
	}

	private static String idInBucket(int bucket, boolean same) {
		while (true) {
			String id = newId();
			if ((Math.floorMod(id.hashCode(), 16) == bucket) == same) {
				return id;
			}
		}
	}

	@Test
	void findByStatusWhenMixedThenListsMatchingMostRecentFirst() throws InterruptedException {
		String first = newId();
		String second = newId();
		String ended = newId();
		admitted(begin(first, null, SessionLimits.none()));
		Thread.sleep(5);
		admitted(begin(second, null, SessionLimits.none()));
		admitted(begin(ended, null, SessionLimits.none()));
		this.ledger.endSession(ended, SessionStatus.FAILED, "error-rate");

		assertThat(this.ledger.findByStatus(SessionStatus.ACTIVE, 10)).extracting(SessionStats::sessionId)
			.containsExactly(second, first);
		assertThat(this.ledger.findByStatus(SessionStatus.ACTIVE, 1)).extracting(SessionStats::sessionId)
			.containsExactly(second);
		assertThat(this.ledger.findByStatus(SessionStatus.FAILED, 10)).extracting(SessionStats::sessionId)
			.containsExactly(ended);
		assertThat(this.ledger.findByStatus(SessionStatus.EXPIRED, 10)).isEmpty();
	}

	@Test
	void beginWhenManyThreadsOnOneSessionThenNeverMoreThanLimitAndCountsExact() throws Exception {
		String id = newId();
		int limit = 4;
		SessionLimits limits = SessionLimits.builder().maxConcurrentRequestsPerSession(limit).build();
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		AtomicInteger admitted = new AtomicInteger();
		AtomicInteger rejected = new AtomicInteger();
		AtomicInteger errors = new AtomicInteger();
		runConcurrently(16, (thread) -> {
			for (int i = 0; i < 40; i++) {
				Admission admission = begin(id, null, limits);
				if (admission instanceof Admission.Admitted ok) {
					admitted.incrementAndGet();
					maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
					Thread.onSpinWait();
					inside.decrementAndGet();
					boolean error = (i % 5 == 0);
					if (error) {
						errors.incrementAndGet();
					}
					this.ledger.end(ok.permit(), new RequestOutcome(1000, error));
				}
				else {
					assertThat(admission).isInstanceOfSatisfying(Admission.Rejected.class,
							(r) -> assertThat(r.limit()).isEqualTo(Limit.SESSION_CONCURRENCY));
					rejected.incrementAndGet();
				}
			}
			return null;
		});

		SessionStats stats = this.ledger.find(id);
		assertThat(maxInside.get()).isLessThanOrEqualTo(limit);
		assertThat(admitted.get() + rejected.get()).isEqualTo(16 * 40);
		assertThat(stats.requestCount()).isEqualTo(admitted.get());
		assertThat(stats.rejectionCount()).isEqualTo(rejected.get());
		assertThat(stats.errorCount()).isEqualTo(errors.get());
		assertThat(stats.activeRequests()).isZero();
		assertThat(stats.totalProcessingTime()).isEqualTo(Duration.ofNanos(1000L * admitted.get()));
	}

	@Test
	void beginWhenManyThreadsCreateSessionsThenMaxSessionsNeverExceeded() throws Exception {
		SessionLimits limits = SessionLimits.builder().maxSessions(5).build();
		String tenant = "t-" + newId();
		AtomicInteger admitted = new AtomicInteger();
		AtomicInteger rejected = new AtomicInteger();
		runConcurrently(20, (thread) -> {
			Admission admission = begin(newId(), tenant, limits);
			if (admission instanceof Admission.Admitted) {
				admitted.incrementAndGet();
			}
			else if (admission instanceof Admission.Rejected r && r.limit() == Limit.MAX_SESSIONS) {
				rejected.incrementAndGet();
			}
			return null;
		});

		assertThat(admitted.get()).isEqualTo(5);
		assertThat(rejected.get()).isEqualTo(15);
		assertThat(this.ledger.activeSessions()).isEqualTo(5);
	}

	@Test
	void beginStreamWhenRequestsAtLimitThenStreamsCountApartUpToTheirOwnLimit() {
		String id = newId();
		SessionLimits limits = SessionLimits.builder()
			.maxConcurrentRequestsPerSession(1)
			.maxStreamsPerSession(2)
			.build();
		Permit request = admitted(begin(id, null, limits));
		Permit first = admitted(beginStream(id, limits));
		Permit second = admitted(beginStream(id, limits));

		assertThat(beginStream(id, limits))
			.isEqualTo(new Admission.Rejected(Limit.SESSION_STREAMS, limits.retryAfter()));
		assertThat(begin(id, null, limits)).isInstanceOfSatisfying(Admission.Rejected.class,
				(r) -> assertThat(r.limit()).isEqualTo(Limit.SESSION_CONCURRENCY));
		SessionStats open = this.ledger.find(id);
		assertThat(open.activeRequests()).isEqualTo(1);
		assertThat(open.requestCount()).isEqualTo(1);
		assertThat(open.openStreams()).isEqualTo(2);
		assertThat(open.streamCount()).isEqualTo(2);
		assertThat(open.rejectionCount()).isEqualTo(2);

		this.ledger.end(request, new RequestOutcome(1000, false));
		this.ledger.endStream(first, 5_000_000_000L);
		admitted(beginStream(id, limits));
		this.ledger.endStream(second, 5_000_000_000L);
		SessionStats after = this.ledger.find(id);
		assertThat(after.openStreams()).isEqualTo(1);
		assertThat(after.streamCount()).isEqualTo(3);
		// a stream's duration is not a processing time
		assertThat(after.totalProcessingTime()).isEqualTo(Duration.ofNanos(1000));
		assertThat(after.requestCount()).isEqualTo(1);
	}

	@Test
	void beginStreamWhenRateLimitedThenTakesOneToken() {
		String id = newId();
		SessionLimits limits = SessionLimits.builder().rate(new RateLimit(2, Duration.ofMinutes(1))).build();
		admitted(beginStream(id, limits));
		admitted(begin(id, null, limits));

		assertThat(beginStream(id, limits)).isInstanceOfSatisfying(Admission.Rejected.class,
				(r) -> assertThat(r.limit()).isEqualTo(Limit.RATE));
		assertThat(this.ledger.find(id).openStreams()).isEqualTo(1);
	}

	@Test
	void renewStreamWhenSessionEndedThenNotLive() {
		String id = newId();
		SessionLimits limits = SessionLimits.none();
		Permit stream = admitted(beginStream(id, limits));
		assertThat(this.ledger.renewStream(stream, limits).live()).isTrue();

		this.ledger.endSession(id, SessionStatus.COMPLETED, "logout");

		assertThat(this.ledger.renewStream(stream, limits).live()).isFalse();
		this.ledger.endStream(stream, 1);
		assertThat(this.ledger.find(id).openStreams()).isZero();
	}

	@Test
	void renewStreamWhenPastAbsoluteTimeoutThenEndsTheSessionOnce() {
		String id = newId();
		SessionLimits limits = SessionLimits.builder().absoluteTimeout(Duration.ofHours(1)).build();
		Permit stream = admitted(beginStream(id, limits));
		Instant created = Instant.now().minus(Duration.ofHours(2));
		String old = newId();
		Permit oldStream = admitted(this.ledger.beginStream(start(old, null, created, IDLE, SessionLimits.none())));

		assertThat(this.ledger.renewStream(stream, limits)).isEqualTo(StreamRenewal.LIVE);
		StreamRenewal ended = this.ledger.renewStream(oldStream, limits);
		assertThat(ended.live()).isFalse();
		assertThat(ended.endedNow()).isNotNull();
		assertThat(ended.endedNow().endReason()).isEqualTo("absolute-timeout");
		assertThat(this.ledger.renewStream(oldStream, limits)).isEqualTo(StreamRenewal.ENDED);
	}

	@Test
	void renewStreamWhenSessionIdChangedThenTheStreamFollowsTheSession() {
		String id = newId();
		String rotated = newId();
		SessionLimits limits = SessionLimits.builder().maxStreamsPerSession(1).build();
		Permit stream = admitted(beginStream(id, limits));

		assertThat(this.ledger.changeSessionId(id, rotated)).isTrue();

		assertThat(this.ledger.renewStream(stream, limits).live()).isTrue();
		assertThat(stream.sessionId()).isEqualTo(rotated);
		assertThat(this.ledger.find(rotated).openStreams()).isEqualTo(1);
		assertThat(beginStream(rotated, limits)).isInstanceOfSatisfying(Admission.Rejected.class,
				(r) -> assertThat(r.limit()).isEqualTo(Limit.SESSION_STREAMS));
		this.ledger.endSession(rotated, SessionStatus.COMPLETED, "logout");
		assertThat(this.ledger.renewStream(stream, limits).live()).isFalse();
		this.ledger.endStream(stream, 1);
		assertThat(this.ledger.find(rotated).openStreams()).isZero();
	}

	@Test
	void sweepWhenStreamOpenPastIdleTimeoutThenSessionStaysLive() throws InterruptedException {
		String id = newId();
		SessionLimits limits = SessionLimits.none();
		Duration idle = Duration.ofSeconds(1);
		Permit stream = admitted(this.ledger.beginStream(start(id, null, Instant.now(), idle, limits)));
		long deadline = System.nanoTime() + Duration.ofMillis(2500).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(this.ledger.renewStream(stream, limits).live()).isTrue();
			assertThat(this.ledger.sweep(limits)).isEmpty();
			Thread.sleep(250);
		}
		assertThat(this.ledger.find(id).status()).isEqualTo(SessionStatus.ACTIVE);
		this.ledger.endStream(stream, 1);
		assertThat(this.ledger.find(id).openStreams()).isZero();
	}

	@Test
	void beginStreamWhenManyThreadsOnOneSessionThenNeverMoreThanLimitAndCountsExact() throws Exception {
		String id = newId();
		int limit = 3;
		SessionLimits limits = SessionLimits.builder()
			.maxStreamsPerSession(limit)
			.maxConcurrentRequestsPerSession(1)
			.build();
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		AtomicInteger admitted = new AtomicInteger();
		AtomicInteger rejected = new AtomicInteger();
		runConcurrently(16, (thread) -> {
			for (int i = 0; i < 40; i++) {
				Admission admission = beginStream(id, limits);
				if (admission instanceof Admission.Admitted ok) {
					admitted.incrementAndGet();
					maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
					Thread.onSpinWait();
					inside.decrementAndGet();
					this.ledger.endStream(ok.permit(), 1000);
				}
				else {
					assertThat(admission).isInstanceOfSatisfying(Admission.Rejected.class,
							(r) -> assertThat(r.limit()).isEqualTo(Limit.SESSION_STREAMS));
					rejected.incrementAndGet();
				}
			}
			return null;
		});

		SessionStats stats = this.ledger.find(id);
		assertThat(maxInside.get()).isLessThanOrEqualTo(limit);
		assertThat(admitted.get() + rejected.get()).isEqualTo(16 * 40);
		assertThat(stats.streamCount()).isEqualTo(admitted.get());
		assertThat(stats.rejectionCount()).isEqualTo(rejected.get());
		assertThat(stats.openStreams()).isZero();
		assertThat(stats.activeRequests()).isZero();
		assertThat(stats.requestCount()).isZero();
		assertThat(stats.totalProcessingTime()).isEqualTo(Duration.ZERO);
	}

	protected Admission beginStream(String id, SessionLimits limits) {
		return this.ledger.beginStream(start(id, null, Instant.now(), IDLE, limits));
	}

	private List<BindResult> bindConcurrently(String user, SessionLimits limits, int threads) throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			String id = newId();
			this.ledger.end(admitted(begin(id, null, limits)), new RequestOutcome(1, false));
			ids.add(id);
		}
		List<BindResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
		runConcurrently(threads, (thread) -> {
			results.add(this.ledger.bindUser(ids.get(thread), user, limits));
			return null;
		});
		return results;
	}

	private List<String> liveSessionsOf(String user) {
		return this.ledger.findByUser(user)
			.stream()
			.filter((stats) -> stats.status() == SessionStatus.ACTIVE)
			.map(SessionStats::sessionId)
			.toList();
	}

	/**
	 * Runs a task on many threads that start together.
	 */
	protected static void runConcurrently(int threads, ThreadTask task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		try {
			List<Future<Void>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				int thread = i;
				Callable<Void> callable = () -> {
					ready.countDown();
					go.await();
					return task.run(thread);
				};
				futures.add(executor.submit(callable));
			}
			ready.await();
			go.countDown();
			for (Future<Void> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	protected Admission begin(String id, @Nullable String tenant, SessionLimits limits) {
		return begin(id, tenant, Instant.now(), IDLE, limits);
	}

	protected Admission begin(String id, @Nullable String tenant, Instant created, SessionLimits limits) {
		return begin(id, tenant, created, IDLE, limits);
	}

	protected Admission begin(String id, @Nullable String tenant, Instant created, Duration idle,
			SessionLimits limits) {
		return this.ledger.begin(start(id, tenant, created, idle, limits));
	}

	protected static RequestStart start(String id, @Nullable String tenant, Instant created, Duration idle,
			SessionLimits limits) {
		return new RequestStart(id, tenant, created, idle, limits);
	}

	protected static Permit admitted(Admission admission) {
		assertThat(admission).isInstanceOf(Admission.Admitted.class);
		return ((Admission.Admitted) admission).permit();
	}

	protected static String newId() {
		return UUID.randomUUID().toString();
	}

	/**
	 * A task run by one of several threads.
	 */
	@FunctionalInterface
	protected interface ThreadTask {

		@Nullable Void run(int thread) throws Exception;

	}

}
