package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.SessionGate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.security.web.authentication.session.SessionFixationProtectionEvent;

/**
 * Moves a session's ledger state to its new id when Spring Security's session fixation
 * protection changes the id at login, so stats, history and the user index follow the
 * session.
 *
 * @author SessionGate team
 */
final class SessionIdChangeListener implements ApplicationListener<SessionFixationProtectionEvent> {

	private final ObjectProvider<SessionGate> gate;

	SessionIdChangeListener(ObjectProvider<SessionGate> gate) {
		this.gate = gate;
	}

	@Override
	public void onApplicationEvent(SessionFixationProtectionEvent event) {
		SessionGate gate = this.gate.getIfAvailable();
		if (gate != null) {
			gate.sessionIdChanged(event.getOldSessionId(), event.getNewSessionId());
		}
	}

}
