package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.SessionGate;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of SessionGate's Actuator endpoint ({@code sessiongate}) and of the
 * store health indicator. The endpoint exists only when Actuator makes it available
 * (exposure and access); the health indicator follows
 * {@code management.health.sessiongate.enabled}.
 *
 * @author SessionGate team
 */
@AutoConfiguration(after = SessionGateAutoConfiguration.class)
@ConditionalOnBean(SessionGate.class)
public final class SessionGateActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		SessionGateEndpoint sessionGateEndpoint(SessionGate sessionGate) {
			return new SessionGateEndpoint(sessionGate);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(endpoint = SessionGateEndpoint.class, exposure = EndpointExposure.WEB)
		SessionGateEndpointWebExtension sessionGateEndpointWebExtension(SessionGateEndpoint sessionGateEndpoint) {
			return new SessionGateEndpointWebExtension(sessionGateEndpoint);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ AbstractHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "sessionGateHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("sessiongate")
		SessionGateHealthIndicator sessionGateHealthIndicator(SessionGate sessionGate) {
			return new SessionGateHealthIndicator(sessionGate);
		}

	}

}
