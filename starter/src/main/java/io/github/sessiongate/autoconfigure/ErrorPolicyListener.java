package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.events.RequestCompletedEvent;
import io.github.sessiongate.events.SessionGateEvent;
import io.github.sessiongate.events.SessionGateListener;
import io.github.sessiongate.ledger.SessionStats;

/**
 * The error policy of {@code sessiongate.errors.fail-session-after}: once a session has
 * that many failed requests it is ended as {@link SessionStatus#FAILED} with reason
 * {@value #REASON}. Only failed requests cost a ledger read.
 *
 * @author SessionGate team
 */
final class ErrorPolicyListener implements SessionGateListener {

	static final String REASON = "error-rate";

	private final SessionGate gate;

	private final int failSessionAfter;

	ErrorPolicyListener(SessionGate gate, int failSessionAfter) {
		this.gate = gate;
		this.failSessionAfter = failSessionAfter;
	}

	@Override
	public void onEvent(SessionGateEvent event) {
		if (event instanceof RequestCompletedEvent completed && completed.isError() && completed.sessionId() != null) {
			SessionStats stats = this.gate.ledger().find(completed.sessionId());
			if (stats != null && stats.status() == SessionStatus.ACTIVE
					&& stats.errorCount() >= this.failSessionAfter) {
				// ending twice is harmless: the ledger ends a session exactly once
				this.gate.admin().endSession(stats.sessionId(), SessionStatus.FAILED, REASON);
			}
		}
	}

}
