package io.github.sessiongate;

/**
 * An open stream the gate admitted (server-sent events, a WebSocket, a long poll), as an
 * integration that outlives the HTTP request sees it. The gate puts it in the request
 * attribute {@link #ATTRIBUTE} of every admitted stream.
 *
 * <p>
 * A server-sent events stream or a long poll is the HTTP request itself: the gate closes
 * it (completing its async cycle) when its session ends and releases it when the request
 * completes; nothing is needed. A WebSocket outlives its upgrade request: its integration
 * (the starter's WebSocket handler decorator) calls {@link #detach()} during the
 * handshake, {@link #onSessionEnd(Runnable)} once the socket is open and
 * {@link #release()} when it closes: <pre>{@code
 * SessionStream stream = (SessionStream) request.getAttribute(SessionStream.ATTRIBUTE);
 * stream.detach();
 * // once the socket is open
 * stream.onSessionEnd(() -> socket.close(1008, "Session ended"));
 * // when the socket closed
 * stream.release();
 * }</pre>
 *
 * @author SessionGate team
 */
public interface SessionStream {

	/** The request attribute that holds an admitted stream. */
	String ATTRIBUTE = SessionStream.class.getName();

	/**
	 * Keeps the stream open after its HTTP request completes (a WebSocket upgrade); the
	 * caller then owns it and must {@link #release()} it.
	 */
	void detach();

	/**
	 * Sets how to close the stream when its session ends, replacing the gate's own
	 * closing of the HTTP response. Runs at once when the session has ended already.
	 * @param closer closes the stream; called at most once, on any thread
	 */
	void onSessionEnd(Runnable closer);

	/**
	 * Releases the stream's permits and records its duration. Idempotent.
	 */
	void release();

	/**
	 * Whether the gate closed (or is closing) the stream because its session ended.
	 * @return {@code true} once the session's end was seen
	 */
	boolean isSessionEnded();

}
