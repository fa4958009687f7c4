package io.github.sessiongate.autoconfigure;

import java.util.Map;

import io.github.sessiongate.SessionStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Hands the stream the gate admitted with a WebSocket upgrade request over to the socket:
 * when the upgrade succeeds the stream outlives its HTTP request (the socket's
 * {@link SessionGateWebSocketHandlerDecorator} releases it when it closes); when it fails
 * the stream ends with the request.
 *
 * @author SessionGate team
 */
final class StreamHandshakeInterceptor implements HandshakeInterceptor {

	private static final int SWITCHING_PROTOCOLS = 101;

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		SessionStream stream = stream(request);
		if (stream != null) {
			attributes.put(SessionGateWebSocketHandlerDecorator.STREAM_ATTRIBUTE, stream);
		}
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
		SessionStream stream = stream(request);
		if (stream != null && exception == null && response instanceof ServletServerHttpResponse servlet
				&& servlet.getServletResponse().getStatus() == SWITCHING_PROTOCOLS) {
			stream.detach();
		}
	}

	private static @Nullable SessionStream stream(ServerHttpRequest request) {
		if (request instanceof ServletServerHttpRequest servlet
				&& servlet.getServletRequest().getAttribute(SessionStream.ATTRIBUTE) instanceof SessionStream stream) {
			return stream;
		}
		return null;
	}

}
