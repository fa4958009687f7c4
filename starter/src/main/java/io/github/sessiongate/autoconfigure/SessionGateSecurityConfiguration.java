package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.web.UserIdResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionFixationProtectionEvent;

/**
 * The Spring Security integration: the user id comes from the {@code Authentication}, a
 * successful login binds the user to the session (the sessions-per-user policy applies at
 * that moment), and the id change of Spring Security's session fixation protection
 * carries the session's stats, history and user index over to the new id.
 *
 * @author SessionGate team
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ SecurityContextHolder.class, SessionAuthenticationStrategy.class })
class SessionGateSecurityConfiguration {

	@Bean
	@ConditionalOnMissingBean
	UserIdResolver sessionGateUserIdResolver() {
		return new AuthenticationUserIdResolver();
	}

	@Bean
	ApplicationListener<SessionFixationProtectionEvent> sessionGateSessionIdChangeListener(
			ObjectProvider<SessionGate> sessionGate) {
		return new SessionIdChangeListener(sessionGate);
	}

	/**
	 * Adds the login hook to every {@code HttpSecurity} (Spring Security applies
	 * {@code Customizer<HttpSecurity>} beans to each one it creates).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HttpSecurity.class)
	static class HttpSecurityConfiguration {

		@Bean
		Customizer<HttpSecurity> sessionGateHttpSecurityCustomizer(ObjectProvider<SessionGate> sessionGate) {
			SessionGateAuthenticationStrategy strategy = new SessionGateAuthenticationStrategy(sessionGate::getObject);
			return (http) -> http
				.sessionManagement((sessions) -> sessions.withObjectPostProcessor(new AfterSpringSecurity(strategy)));
		}

		/**
		 * Runs the gate's login hook after all of Spring Security's session strategies
		 * (its own concurrent-session control, fixation protection, registration), so a
		 * login Spring Security refuses never binds the user in the gate, and the gate
		 * binds the id the session keeps.
		 */
		static final class AfterSpringSecurity implements ObjectPostProcessor<Object> {

			private final SessionAuthenticationStrategy strategy;

			AfterSpringSecurity(SessionAuthenticationStrategy strategy) {
				this.strategy = strategy;
			}

			@Override
			@SuppressWarnings("unchecked")
			public <O> O postProcess(O object) {
				if (!(object instanceof CompositeSessionAuthenticationStrategy springSecurity)) {
					return object;
				}
				SessionAuthenticationStrategy both = (authentication, request, response) -> {
					springSecurity.onAuthentication(authentication, request, response);
					this.strategy.onAuthentication(authentication, request, response);
				};
				return (O) both;
			}

		}

	}

}
