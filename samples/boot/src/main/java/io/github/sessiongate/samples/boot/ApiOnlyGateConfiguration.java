package io.github.sessiongate.samples.boot;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.web.SessionGateFilter;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * With the {@code api-only} profile, the gate filter runs for {@code /api/*} only: the
 * starter's registration steps aside for a bean of the same name.
 */
@Configuration(proxyBeanMethods = false)
@Profile("api-only")
class ApiOnlyGateConfiguration {

	@Bean
	FilterRegistrationBean<SessionGateFilter> sessionGateFilterRegistration(SessionGate gate) {
		FilterRegistrationBean<SessionGateFilter> registration = new FilterRegistrationBean<>(gate.gateFilter());
		registration.setOrder(SessionGateFilter.DEFAULT_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.addUrlPatterns("/api/*");
		return registration;
	}

}
