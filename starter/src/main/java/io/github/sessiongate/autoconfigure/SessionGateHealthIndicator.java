package io.github.sessiongate.autoconfigure;

import java.util.Objects;

import io.github.sessiongate.SessionGate;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports whether the ledger's store answers: {@code UP} with the store type and the
 * number of live sessions, {@code DOWN} when the store fails.
 *
 * @author SessionGate team
 */
public class SessionGateHealthIndicator extends AbstractHealthIndicator {

	private final SessionGate gate;

	/**
	 * Creates the indicator.
	 * @param gate the gate
	 */
	public SessionGateHealthIndicator(SessionGate gate) {
		super("SessionGate store health check failed");
		this.gate = Objects.requireNonNull(gate, "gate cannot be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		long activeSessions = this.gate.ledger().activeSessions();
		builder.up()
			.withDetail("store", this.gate.ledger().getClass().getSimpleName())
			.withDetail("activeSessions", activeSessions);
	}

}
