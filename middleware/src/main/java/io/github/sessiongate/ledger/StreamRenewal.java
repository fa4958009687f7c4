package io.github.sessiongate.ledger;

import org.jspecify.annotations.Nullable;

/**
 * What the ledger answered when a node renewed an open stream: whether the stream's
 * session is still live and, when this very renewal ended it (its absolute age), the
 * session's final stats so that its end is published once.
 *
 * @param live whether the session is live (the stream may stay open)
 * @param endedNow the final stats when this renewal ended the session, else {@code null}
 * @author SessionGate team
 */
public record StreamRenewal(boolean live, @Nullable SessionStats endedNow) {

	/** The session is live; its last activity was renewed. */
	public static final StreamRenewal LIVE = new StreamRenewal(true, null);

	/** The session has ended (or is unknown): its streams must close. */
	public static final StreamRenewal ENDED = new StreamRenewal(false, null);

}
