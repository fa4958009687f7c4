package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Exposes the gate's meters as a {@link MeterBinder} bean, which Spring Boot binds to the
 * application's {@code MeterRegistry}.
 *
 * @author SessionGate team
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterBinder.class)
class SessionGateMetricsConfiguration {

	/** Name of the meter binder bean; define one to take over. */
	static final String BEAN_NAME = "sessionGateMeterBinder";

	@Bean(name = BEAN_NAME)
	@ConditionalOnMissingBean(name = BEAN_NAME)
	SessionGateMeterBinder sessionGateMeterBinder(SessionGate sessionGate) {
		return new SessionGateMeterBinder(new SessionGateMetrics(sessionGate));
	}

	/**
	 * Binds {@link SessionGateMetrics}. A separate type so that the binder bean is not
	 * also picked up as a gate listener (the metrics register themselves when bound).
	 */
	static final class SessionGateMeterBinder implements MeterBinder {

		private final SessionGateMetrics metrics;

		SessionGateMeterBinder(SessionGateMetrics metrics) {
			this.metrics = metrics;
		}

		@Override
		public void bindTo(MeterRegistry registry) {
			this.metrics.bindTo(registry);
		}

	}

}
