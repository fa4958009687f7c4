package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.metrics.SessionGateMetrics;
import io.github.sessiongate.metrics.StoreCircuitBreakerMetrics;
import io.github.sessiongate.store.StoreCircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Exposes the gate's meters as a {@link MeterBinder} bean, which Spring Boot binds to the
 * application's {@code MeterRegistry}, with those of the store's
 * {@link StoreCircuitBreaker} when there is one (the Redis store).
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
	SessionGateMeterBinder sessionGateMeterBinder(SessionGate sessionGate,
			ObjectProvider<StoreCircuitBreaker> circuitBreaker) {
		StoreCircuitBreaker breaker = circuitBreaker.getIfUnique();
		return new SessionGateMeterBinder(new SessionGateMetrics(sessionGate),
				(breaker != null) ? new StoreCircuitBreakerMetrics(breaker) : null);
	}

	/**
	 * Binds {@link SessionGateMetrics} (and {@link StoreCircuitBreakerMetrics}). A
	 * separate type so that the binder bean is not also picked up as a gate listener (the
	 * metrics register themselves when bound).
	 */
	static final class SessionGateMeterBinder implements MeterBinder {

		private final SessionGateMetrics metrics;

		private final @Nullable StoreCircuitBreakerMetrics circuitBreakerMetrics;

		SessionGateMeterBinder(SessionGateMetrics metrics, @Nullable StoreCircuitBreakerMetrics circuitBreakerMetrics) {
			this.metrics = metrics;
			this.circuitBreakerMetrics = circuitBreakerMetrics;
		}

		@Override
		public void bindTo(MeterRegistry registry) {
			this.metrics.bindTo(registry);
			if (this.circuitBreakerMetrics != null) {
				this.circuitBreakerMetrics.bindTo(registry);
			}
		}

	}

}
