package io.github.sessiongate.ledger;

import java.time.Clock;
import java.time.Duration;

/**
 * The in-memory ledger against the shared ledger contract.
 */
class InMemorySessionLedgerContractTests extends SessionLedgerContractTests {

	@Override
	protected SessionLedger createLedger(Duration historyRetention) {
		return new InMemorySessionLedger(Clock.systemUTC(), historyRetention);
	}

}
