package io.github.sessiongate.autoconfigure;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A Boot app secured the way the Boot guide recommends for the SessionGate endpoint: CSRF
 * protection on everywhere, form login for users, and a separate chain for Actuator with
 * HTTP Basic, the role {@code OPS} for everything but health, and the CSRF token in a
 * cookie that scripts read back ({@code csrf.spa()}).
 *
 * @author SessionGate team
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestApplication.ContextController.class)
class SecuredActuatorTestApplication {

	@Bean
	@Order(1)
	SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http) throws Exception {
		return http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
				.permitAll()
				.anyRequest()
				.hasRole("OPS"))
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.spa())
			.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain appSecurityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.formLogin((login) -> login.defaultSuccessUrl("/context", true))
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

}
