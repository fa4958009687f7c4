package io.github.sessiongate.samples.bootsecurity;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.autoconfigure.SessionGateAuthenticationFailureHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;

/**
 * Form login for two users; {@code /actuator/**} for the admin. A login beyond
 * {@code sessiongate.limits.max-sessions-per-user} (policy {@code reject-new}) is answered
 * with the gate's {@code 409} instead of the usual failure redirect.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, SessionGate gate) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/actuator/health/**").permitAll()
				.requestMatchers("/actuator/**").hasRole("ADMIN")
				.anyRequest().authenticated());
		http.formLogin((login) -> login.failureHandler(new SessionGateAuthenticationFailureHandler(gate,
				new SimpleUrlAuthenticationFailureHandler("/login?error"))));
		return http.build();
	}

	@Bean
	UserDetailsService users() {
		// {noop}: plain-text passwords, for the sample only
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}alice").roles("USER").build(),
				User.withUsername("admin").password("{noop}admin").roles("USER", "ADMIN").build());
	}

}
