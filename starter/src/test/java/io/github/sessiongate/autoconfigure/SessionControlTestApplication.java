package io.github.sessiongate.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot app with Spring Security's own concurrent session control, configured the usual
 * way: form login (CSRF on), {@code maximumSessions(n)} ({@code test.maximum-sessions},
 * default 1), {@code maxSessionsPreventsLogin} from the property
 * {@code test.max-sessions-prevents-login} and {@code expiredUrl("/expired")}. The
 * session registry is the one the starter provides.
 *
 * @author SessionGate team
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TestApplication.ContextController.class, SessionControlTestApplication.ExpiredController.class })
class SessionControlTestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http,
			@Value("${test.max-sessions-prevents-login:false}") boolean preventsLogin,
			@Value("${test.maximum-sessions:1}") int maximumSessions) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/expired", "/login")
				.permitAll()
				.requestMatchers("/actuator/**")
				.hasRole("OPS")
				.anyRequest()
				.authenticated())
			.formLogin((login) -> login.defaultSuccessUrl("/context", true))
			.httpBasic(Customizer.withDefaults())
			.sessionManagement((sessions) -> sessions.maximumSessions(maximumSessions)
				.maxSessionsPreventsLogin(preventsLogin)
				.expiredUrl("/expired"))
			.build();
	}

	@Bean
	UserDetailsService userDetailsService() {
		return TestBrowser.users();
	}

	@Bean
	TestApplication.Gate gate() {
		return new TestApplication.Gate();
	}

	@Bean
	SessionEvents sessionEvents() {
		return new SessionEvents();
	}

	@RestController
	static class ExpiredController {

		@GetMapping("/expired")
		String expired() {
			return "expired";
		}

	}

	/**
	 * Records Spring Session's events as any listener written for Spring Session would
	 * receive them.
	 */
	static final class SessionEvents {

		final List<AbstractSessionEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(AbstractSessionEvent event) {
			this.events.add(event);
		}

	}

}
