package io.github.sessiongate.autoconfigure;

import java.io.IOException;

import io.github.sessiongate.SessionStream;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Ties a WebSocket to the gate's stream admitted at its upgrade: the socket counts as an
 * open stream of its session until it closes, and it is closed with
 * {@link #SESSION_ENDED} ({@code 1008}, policy violation, reason {@code Session ended})
 * when the session ends — on any node, within {@code sessiongate.streams.check-interval}.
 *
 * <p>
 * The starter applies it to every handler registered through {@code @EnableWebSocket}'s
 * {@code WebSocketHandlerRegistry}; nothing is needed in the application. A handler
 * registered some other way can be wrapped by hand:
 * {@code new SessionGateWebSocketHandlerDecorator(handler)} together with
 * {@link #handshakeInterceptor()} on its registration.
 *
 * @author SessionGate team
 */
public class SessionGateWebSocketHandlerDecorator extends WebSocketHandlerDecorator {

	/** The close status of a socket whose session ended: 1008, "Session ended". */
	public static final CloseStatus SESSION_ENDED = CloseStatus.POLICY_VIOLATION.withReason("Session ended");

	static final String STREAM_ATTRIBUTE = SessionStream.ATTRIBUTE;

	/**
	 * Decorates a handler.
	 * @param delegate the application's handler
	 */
	public SessionGateWebSocketHandlerDecorator(WebSocketHandler delegate) {
		super(delegate);
	}

	/**
	 * The handshake interceptor that hands the stream admitted with the upgrade request
	 * over to the socket.
	 * @return the interceptor
	 */
	public static org.springframework.web.socket.server.HandshakeInterceptor handshakeInterceptor() {
		return new StreamHandshakeInterceptor();
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		if (session.getAttributes().get(STREAM_ATTRIBUTE) instanceof SessionStream stream) {
			stream.onSessionEnd(() -> close(session));
		}
		super.afterConnectionEstablished(session);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
		try {
			super.afterConnectionClosed(session, closeStatus);
		}
		finally {
			if (session.getAttributes().get(STREAM_ATTRIBUTE) instanceof SessionStream stream) {
				stream.release();
			}
		}
	}

	private static void close(WebSocketSession session) {
		try {
			session.close(SESSION_ENDED);
		}
		catch (IOException ex) {
			// the socket is gone already
		}
	}

}
