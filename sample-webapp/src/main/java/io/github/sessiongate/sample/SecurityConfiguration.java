package io.github.sessiongate.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Form login with three demo users and CSRF protection (the dashboard's JavaScript reads
 * its token from {@code /api/csrf}). Everything needs a login; the {@code sessiongate}
 * Actuator endpoint and ending sessions need the {@code ADMIN} role. A request that still
 * carries the cookie of a session that has ended is sent to {@code /login?ended}, whose
 * page says so.
 *
 * @author SessionGate team
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	static final String ADMIN = "ADMIN";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/error", "/css/**")
			.permitAll()
			// Prometheus scrapes without logging in (and so without a session, which
			// keeps
			// the scrape working while Redis is down); no meter carries an id or address
			.requestMatchers("/actuator/health", "/actuator/prometheus")
			.permitAll()
			.requestMatchers("/actuator/**", "/api/sessions/**")
			.hasRole(ADMIN)
			.anyRequest()
			.authenticated())
			.formLogin((login) -> login.loginPage("/login").defaultSuccessUrl("/", true))
			.sessionManagement((sessions) -> sessions.invalidSessionUrl("/login?ended"))
			.logout(Customizer.withDefaults());
		return http.build();
	}

	/**
	 * The demo users. Passwords in plain text are for a demo only.
	 * @return the users
	 */
	@Bean
	InMemoryUserDetailsManager users() {
		UserDetails alice = User.withUsername("alice").password("{noop}alice").roles("USER").build();
		UserDetails bob = User.withUsername("bob").password("{noop}bob").roles("USER").build();
		UserDetails admin = User.withUsername("admin").password("{noop}admin").roles("USER", ADMIN).build();
		return new InMemoryUserDetailsManager(alice, bob, admin);
	}

}
