package io.github.sessiongate.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * WebSockets count as streams of their session and close when it ends: every handler
 * registered through {@code @EnableWebSocket}'s {@code WebSocketHandlerRegistry} is
 * wrapped in a {@link SessionGateWebSocketHandlerDecorator} before the mapping registers
 * it, with the {@link StreamHandshakeInterceptor} that hands the upgrade's stream over to
 * the socket.
 *
 * @author SessionGate team
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ WebSocketHandlerMapping.class, SimpleUrlHandlerMapping.class })
class SessionGateWebSocketConfiguration {

	@Bean
	static InstantiationAwareBeanPostProcessor sessionGateWebSocketHandlerPostProcessor() {
		return new HandlerMappingPostProcessor();
	}

	/**
	 * Decorates the handlers of a {@link WebSocketHandlerMapping} after it is created and
	 * before it registers them (which happens when it gets its application context).
	 */
	static final class HandlerMappingPostProcessor implements InstantiationAwareBeanPostProcessor {

		@Override
		@SuppressWarnings("unchecked")
		public boolean postProcessAfterInstantiation(Object bean, String beanName) {
			if (bean instanceof WebSocketHandlerMapping mapping) {
				Map<String, Object> urlMap = (Map<String, Object>) mapping.getUrlMap();
				Map<String, Object> decorated = new LinkedHashMap<>();
				urlMap.forEach((path, handler) -> decorated.put(path, decorate(handler)));
				urlMap.putAll(decorated);
			}
			return true;
		}

		private static Object decorate(Object handler) {
			if (!(handler instanceof WebSocketHttpRequestHandler original)
					|| original.getWebSocketHandler() instanceof SessionGateWebSocketHandlerDecorator) {
				return handler;
			}
			WebSocketHttpRequestHandler replacement = new WebSocketHttpRequestHandler(
					new SessionGateWebSocketHandlerDecorator(original.getWebSocketHandler()),
					original.getHandshakeHandler());
			List<HandshakeInterceptor> interceptors = new ArrayList<>(original.getHandshakeInterceptors());
			interceptors.add(0, new StreamHandshakeInterceptor());
			replacement.setHandshakeInterceptors(interceptors);
			return replacement;
		}

	}

}
