package io.github.sessiongate.redis;

import io.github.sessiongate.ledger.RequestScopedLedger.Scope;
import io.github.sessiongate.limit.SessionLimits;
import org.jspecify.annotations.Nullable;

/**
 * What a request's thread keeps between loading its session and admitting it, and between
 * admitting it and ending it: the admission to make at the next load, the admission made
 * while loading (for {@code begin} to take), and the session the request loaded or
 * created (for the end of the request to save, and for repeated lookups). Only in use
 * with {@link SessionGateRedisSessionRepository}; otherwise every call is a no-op.
 *
 * @author SessionGate team
 */
final class RequestScopes {

	private final Leases leases;

	private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);

	/** Whether a repository stores its sessions through these scopes. */
	private volatile boolean active;

	RequestScopes(Leases leases) {
		this.leases = leases;
	}

	/**
	 * A repository stores its sessions with this ledger from now on.
	 * @throws IllegalStateException if another repository does already
	 */
	synchronized void activate() {
		if (this.active) {
			throw new IllegalStateException("This ledger already stores the sessions of another repository");
		}
		this.active = true;
	}

	Scope openRequest() {
		if (!this.active) {
			return Scope.NONE;
		}
		Slot slot = this.slots.get();
		if (slot.open) {
			return Scope.NONE;
		}
		slot.session = null;
		slot.open = true;
		return this::closeRequest;
	}

	private void closeRequest() {
		releaseStash(this.slots.get());
		// nothing is kept on a pooled thread between requests (nor this class, past a
		// redeployment)
		this.slots.remove();
	}

	Scope admitOnLoad(String tenant, SessionLimits limits) {
		if (!this.active) {
			return Scope.NONE;
		}
		Slot slot = this.slots.get();
		if (!slot.open) {
			// no outer filter opened this request: nothing loaded before belongs to it
			slot.session = null;
		}
		slot.expectedTenant = tenant;
		slot.expectedLimits = limits;
		return this::loadDone;
	}

	private void loadDone() {
		Slot slot = this.slots.get();
		slot.expectedLimits = null;
		releaseStash(slot);
	}

	// ---- for the repository

	/**
	 * The admission the next load is to make, taken: {@code null} when none is expected.
	 */
	@Nullable Expected takeExpected() {
		if (!this.active) {
			return null;
		}
		Slot slot = this.slots.get();
		SessionLimits limits = slot.expectedLimits;
		String tenant = slot.expectedTenant;
		if (limits == null || tenant == null) {
			return null;
		}
		slot.expectedLimits = null;
		releaseStash(slot);
		return new Expected(tenant, limits);
	}

	/**
	 * The session this thread's request holds, when it asks for it again (Spring
	 * Security's session registry, Spring Session when it commits twice): as loaded and
	 * since changed.
	 */
	@Nullable StoredSession held(String sessionId) {
		Slot slot = this.slots.get();
		StoredSession current = slot.session;
		if (slot.open && current != null && sessionId.equals(current.getId()) && !current.isDeleted()) {
			return current;
		}
		return null;
	}

	/** A session this thread created or loaded: the end of its request may save it. */
	void inUse(StoredSession session) {
		this.slots.get().session = session;
	}

	/** The admission made while loading, for {@code begin} to take. */
	void stash(RedisPermit permit, RedisScripts.AdmitReply reply, String tenant) {
		Slot slot = this.slots.get();
		slot.stashedPermit = permit;
		slot.stashedReply = reply;
		slot.stashedTenant = tenant;
	}

	/** A session's data was deleted: the session this thread holds is not saved again. */
	void deleted(String sessionId) {
		StoredSession session = this.active ? this.slots.get().session : null;
		if (session != null && sessionId.equals(session.getId())) {
			session.markDeleted();
		}
	}

	// ---- for the ledger

	/**
	 * Takes the admission made while loading this session; one made for another session
	 * (or tenant) is released.
	 * @return the permit and reply, or {@code null}
	 */
	@Nullable Stashed takeStash(String sessionId, String tenant) {
		if (!this.active) {
			return null;
		}
		Slot slot = this.slots.get();
		RedisPermit permit = slot.stashedPermit;
		RedisScripts.AdmitReply reply = slot.stashedReply;
		if (permit == null || reply == null) {
			return null;
		}
		if (sessionId.equals(permit.sessionId()) && tenant.equals(slot.stashedTenant)) {
			slot.clearStash();
			return new Stashed(permit, reply);
		}
		releaseStash(slot);
		return null;
	}

	/** The session this thread loaded or created, if it is this one. */
	@Nullable StoredSession session(String sessionId) {
		if (!this.active) {
			return null;
		}
		StoredSession session = this.slots.get().session;
		return (session != null && sessionId.equals(session.getId())) ? session : null;
	}

	/** The request of a session ended on this thread. */
	void requestEnded(StoredSession session) {
		Slot slot = this.slots.get();
		if (slot.session == session && !slot.open) {
			// no outer filter tells when this request is over: keep nothing past its end
			slot.session = null;
		}
	}

	/** Frees an admission made while loading that no {@code begin} took. */
	private void releaseStash(Slot slot) {
		RedisPermit permit = slot.stashedPermit;
		RedisScripts.AdmitReply reply = slot.stashedReply;
		slot.clearStash();
		if (permit != null && reply instanceof RedisScripts.AdmitReply.Admitted) {
			this.leases.abandon(permit, false);
		}
	}

	/**
	 * The admission to make at the next load.
	 *
	 * @param tenant the tenant as stored
	 * @param limits the limits
	 */
	record Expected(String tenant, SessionLimits limits) {
	}

	/**
	 * An admission made while loading.
	 *
	 * @param permit its permit
	 * @param reply its reply
	 */
	record Stashed(RedisPermit permit, RedisScripts.AdmitReply reply) {
	}

	private static final class Slot {

		@Nullable String expectedTenant;

		@Nullable SessionLimits expectedLimits;

		@Nullable RedisPermit stashedPermit;

		RedisScripts.@Nullable AdmitReply stashedReply;

		@Nullable String stashedTenant;

		/** Between the outermost filter's start and finish. */
		boolean open;

		@Nullable StoredSession session;

		void clearStash() {
			this.stashedPermit = null;
			this.stashedReply = null;
			this.stashedTenant = null;
		}

	}

}
