package io.github.sessiongate.autoconfigure;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpSession;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A Boot app with streams: a server-sent events stream ({@code SseEmitter}), a long poll
 * ({@code DeferredResult}, a stream by {@code sessiongate.streams.paths}) and a WebSocket
 * registered the ordinary way ({@code @EnableWebSocket}).
 *
 * @author SessionGate team
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebSocket
@Import(StreamTestApplication.StreamController.class)
class StreamTestApplication implements WebSocketConfigurer {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	/**
	 * A server-sent events stream written by a plain servlet that starts its async cycle,
	 * sends its first event and then keeps its dispatch until {@link #RELEASE} opens (at
	 * most 10 s): the stream is open for the client while the dispatch has not yet
	 * returned through the filters.
	 * @return the servlet's registration
	 */
	@Bean
	ServletRegistrationBean<HttpServlet> heldEvents() {
		HttpServlet servlet = new HttpServlet() {

			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
				AsyncContext async = request.startAsync();
				async.setTimeout(0);
				response.setContentType("text/event-stream");
				response.getWriter().write("data:open\n\n");
				response.flushBuffer();
				try {
					RELEASE.get().await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

		};
		ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(servlet, "/held-events");
		registration.setAsyncSupported(true);
		return registration;
	}

	/** Lets the dispatch of the current {@code /held-events} request return. */
	static final AtomicReference<CountDownLatch> RELEASE = new AtomicReference<>(new CountDownLatch(1));

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new GreetingHandler(), "/socket");
	}

	/**
	 * Says {@code open} when a socket opens and echoes what it receives.
	 */
	static final class GreetingHandler extends TextWebSocketHandler {

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws IOException {
			session.sendMessage(new TextMessage("open"));
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
			session.sendMessage(message);
		}

	}

	@RestController
	static class StreamController {

		final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();

		@GetMapping("/context")
		String context(HttpSession session) {
			return session.getId();
		}

		@GetMapping("/events")
		SseEmitter events() throws IOException {
			SseEmitter emitter = new SseEmitter(0L);
			emitter.send(SseEmitter.event().data("open"));
			this.emitters.add(emitter);
			emitter.onCompletion(() -> this.emitters.remove(emitter));
			return emitter;
		}

		@GetMapping("/poll/messages")
		DeferredResult<String> poll() {
			return new DeferredResult<>(0L);
		}

	}

}
