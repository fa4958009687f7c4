package io.github.sessiongate.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.events.SessionGateEvent;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small Boot app for the starter's integration tests: form login, a controller that
 * shows the session context, a controller that waits, and an event recorder.
 *
 * @author SessionGate team
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestApplication.ContextController.class)
class TestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, SessionGate sessionGate) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.formLogin((login) -> login.defaultSuccessUrl("/context", true)
				.failureHandler(new SessionGateAuthenticationFailureHandler(sessionGate,
						new SimpleUrlAuthenticationFailureHandler("/login?error"))))
			.build();
	}

	@Bean
	UserDetailsService userDetailsService() {
		return new InMemoryUserDetailsManager(List.of("alice", "bob", "carol", "dave")
			.stream()
			.map((name) -> User.withUsername(name).password("{noop}pw").roles("USER").build())
			.toList());
	}

	@Bean
	EventRecorder eventRecorder() {
		return new EventRecorder();
	}

	@Bean
	Gate gate() {
		return new Gate();
	}

	@RestController
	static class ContextController {

		private final Gate gate;

		ContextController(Gate gate) {
			this.gate = gate;
		}

		@GetMapping("/context")
		Map<String, Object> context() {
			SessionContext context = SessionContextHolder.requireContext();
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("sessionId", context.sessionId());
			body.put("userId", context.userId());
			body.put("clientIp", context.clientIp());
			return body;
		}

		@GetMapping("/hold")
		String hold() throws InterruptedException {
			this.gate.entered.countDown();
			this.gate.release.await(10, TimeUnit.SECONDS);
			return "released";
		}

	}

	/**
	 * Lets a test keep a request inside the application.
	 */
	static final class Gate {

		volatile CountDownLatch entered = new CountDownLatch(1);

		volatile CountDownLatch release = new CountDownLatch(1);

		void reset() {
			this.entered = new CountDownLatch(1);
			this.release = new CountDownLatch(1);
		}

	}

	/**
	 * Records the gate events received as Spring application events.
	 */
	static final class EventRecorder {

		final List<SessionGateEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(SessionGateEvent event) {
			this.events.add(event);
		}

	}

}
