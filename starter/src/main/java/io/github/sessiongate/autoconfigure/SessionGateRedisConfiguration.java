package io.github.sessiongate.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.StoreFailurePolicy;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.session.LedgerIndexedSessionRepository;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.store.StoreCircuitBreaker;
import io.github.sessiongate.web.StoreFailureFilter;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.Delay;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * The Redis store, when the store is Redis ({@code sessiongate.store=redis}, or
 * {@code auto} with Spring Session Data Redis and a {@link RedisConnectionFactory}
 * present): the Redis ledger on the application's connection factory (so sessions and
 * ledger share one Redis or Redis Cluster), and the answers to Redis failures — one
 * {@link StoreCircuitBreaker} shared by the ledger and Spring Session's repository
 * (wrapped in a {@link GuardedSessionRepository} that applies
 * {@code sessiongate.on-store-failure}), the {@link StoreFailureFilter} in front of
 * Spring Session's filter, and Lettuce options so commands fail at once while
 * disconnected and reconnects come at least every 500 ms.
 *
 * @author SessionGate team
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SessionGateStoreConditions.OnRedisStore.class)
class SessionGateRedisConfiguration {

	/** Name of the store-failure filter's registration bean; define one to take over. */
	static final String STORE_FAILURE_FILTER_BEAN_NAME = "sessionGateStoreFailureFilterRegistration";

	@Bean
	@ConditionalOnMissingBean
	StoreCircuitBreaker sessionGateStoreCircuitBreaker() {
		return StoreCircuitBreaker.of("redis");
	}

	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean(SessionLedger.class)
	RedisSessionLedger sessionGateLedger(RedisConnectionFactory connectionFactory, SessionGateProperties properties,
			StoreCircuitBreaker sessionGateStoreCircuitBreaker) {
		// the gate closes its ledger; the connection factory stays the application's
		return RedisSessionLedger.builder(connectionFactory)
			.keyPrefix(properties.getRedis().getKeyPrefix())
			.historyRetention(properties.getHistory().getRetention())
			.sweepInterval(properties.getSweepInterval())
			.circuitBreaker(sessionGateStoreCircuitBreaker)
			.build();
	}

	/**
	 * Wraps the application's session repository so that Spring Session's own calls
	 * (which run before the gate, e.g. in Spring Security's filters) follow
	 * {@code sessiongate.on-store-failure} instead of failing the request with a 500.
	 * @param circuitBreaker the breaker shared with the ledger
	 * @param environment the environment, for the policy
	 * @return the post-processor
	 */
	@Bean
	static BeanPostProcessor sessionGateGuardedSessionRepositoryPostProcessor(
			ObjectProvider<StoreCircuitBreaker> circuitBreaker, ObjectProvider<SessionGate> sessionGate,
			Environment environment) {
		return new GuardingPostProcessor(circuitBreaker, sessionGate, environment);
	}

	@Bean(name = STORE_FAILURE_FILTER_BEAN_NAME)
	@ConditionalOnMissingBean(name = STORE_FAILURE_FILTER_BEAN_NAME)
	FilterRegistrationBean<StoreFailureFilter> sessionGateStoreFailureFilterRegistration(SessionGate sessionGate) {
		FilterRegistrationBean<StoreFailureFilter> registration = new FilterRegistrationBean<>(
				sessionGate.storeFailureFilter());
		registration.setName("sessionGateStoreFailureFilter");
		registration.setOrder(StoreFailureFilter.DEFAULT_ORDER);
		return registration;
	}

	/**
	 * Puts a {@link GuardedSessionRepository} in front of the session repository bean.
	 * The bean stays of its own class (a class-based proxy whose repository methods go
	 * through the guard), because Spring Session's configurations inject it by that
	 * class, e.g. {@code RedisIndexedSessionRepository} for its message listener.
	 */
	/**
	 * Guards a session repository with the store-failure policy
	 * ({@code sessiongate.on-store-failure}) and the breaker shared with the ledger; its
	 * failures are counted by the gate.
	 * @param repository the repository
	 * @param circuitBreaker the shared breaker
	 * @param sessionGate the gate, looked up at the first failure (it is built around the
	 * repository)
	 * @param environment the environment, for the policy
	 * @return the guarded repository
	 */
	@SuppressWarnings("unchecked")
	static GuardedSessionRepository<Session> guarded(SessionRepository<?> repository,
			StoreCircuitBreaker circuitBreaker, ObjectProvider<SessionGate> sessionGate, Environment environment) {
		StoreFailurePolicy policy = Binder.get(environment)
			.bind(SessionGateProperties.PREFIX + ".on-store-failure", StoreFailurePolicy.class)
			.orElse(StoreFailurePolicy.ALLOW);
		GuardedSessionRepository<Session> guarded = GuardedSessionRepository.of((SessionRepository<Session>) repository,
				circuitBreaker, policy);
		guarded.setFailureListener((operation, error) -> {
			SessionGate gate = sessionGate.getIfAvailable();
			if (gate != null) {
				gate.reportStoreFailure(operation, error);
			}
		});
		return guarded;
	}

	static final class GuardingPostProcessor implements BeanPostProcessor {

		private final ObjectProvider<StoreCircuitBreaker> circuitBreaker;

		private final ObjectProvider<SessionGate> sessionGate;

		private final Environment environment;

		GuardingPostProcessor(ObjectProvider<StoreCircuitBreaker> circuitBreaker,
				ObjectProvider<SessionGate> sessionGate, Environment environment) {
			this.circuitBreaker = circuitBreaker;
			this.sessionGate = sessionGate;
			this.environment = environment;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			// LedgerIndexedSessionRepository: it wraps the application's repository bean,
			// which is guarded itself (and it is final: it cannot be proxied)
			if (!(bean instanceof SessionRepository<?> repository) || bean instanceof GuardedSessionRepository
					|| bean instanceof LedgerIndexedSessionRepository || AopUtils.isAopProxy(bean)) {
				return bean;
			}
			GuardedSessionRepository<Session> guarded = guarded(repository, this.circuitBreaker.getObject(),
					this.sessionGate, this.environment);
			ProxyFactory proxy = new ProxyFactory(bean);
			proxy.setProxyTargetClass(true);
			proxy.addAdvice((MethodInterceptor) (invocation) -> {
				Object[] arguments = invocation.getArguments();
				return switch (invocation.getMethod().getName() + "/" + arguments.length) {
					case "findById/1" -> guarded.findById((String) arguments[0]);
					case "save/1" -> {
						guarded.save((Session) arguments[0]);
						yield null;
					}
					case "deleteById/1" -> {
						guarded.deleteById((String) arguments[0]);
						yield null;
					}
					case "findByIndexNameAndIndexValue/2" ->
						(guarded instanceof FindByIndexNameSessionRepository<?> indexed)
								? indexed.findByIndexNameAndIndexValue((String) arguments[0], (String) arguments[1])
								: invocation.proceed();
					case "findByPrincipalName/1" -> (guarded instanceof FindByIndexNameSessionRepository<?> indexed)
							? indexed.findByPrincipalName((String) arguments[0]) : invocation.proceed();
					default -> invocation.proceed();
				};
			});
			return proxy.getProxy(bean.getClass().getClassLoader());
		}

	}

	/**
	 * Lettuce options for a session store: commands fail at once while the connection is
	 * down (Lettuce would otherwise queue them until the command timeout), reconnect
	 * attempts come at least every 500 ms (Lettuce backs off to 30 s by default), so
	 * service returns soon after Redis does, and on a Redis Cluster the topology is
	 * refreshed so that a failover is followed (see {@link #CLUSTER_REFRESH_PERIOD}).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.lettuce.core.RedisClient",
			"org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer" })
	static class LettuceOptionsConfiguration {

		/**
		 * The cluster topology refresh period when the application sets neither
		 * {@code spring.data.redis.lettuce.cluster.refresh.adaptive} nor {@code .period}.
		 */
		static final Duration CLUSTER_REFRESH_PERIOD = Duration.ofSeconds(5);

		private static final String CLUSTER_REFRESH = "spring.data.redis.lettuce.cluster.refresh.";

		/**
		 * Boot refreshes no cluster topology unless told to: after a failover Lettuce
		 * would send the failed master's slots to it for good, and its sessions would be
		 * served without their data and limits. Adaptive triggers alone fire while the
		 * master is down but not yet replaced, then rest for 30 s; the periodic refresh
		 * follows the promotion.
		 */
		@Bean
		LettuceClientOptionsBuilderCustomizer sessionGateLettuceClusterRefreshCustomizer(Environment environment) {
			return (options) -> {
				if (options instanceof ClusterClientOptions.Builder cluster
						&& !environment.containsProperty(CLUSTER_REFRESH + "adaptive")
						&& !environment.containsProperty(CLUSTER_REFRESH + "period")) {
					cluster.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
						.enableAllAdaptiveRefreshTriggers()
						.enablePeriodicRefresh(CLUSTER_REFRESH_PERIOD)
						.dynamicRefreshSources(environment.getProperty(CLUSTER_REFRESH + "dynamic-refresh-sources",
								Boolean.class, true))
						.build());
				}
			};
		}

		@Bean
		LettuceClientOptionsBuilderCustomizer sessionGateLettuceClientOptionsCustomizer() {
			return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		}

		@Bean
		ClientResourcesBuilderCustomizer sessionGateClientResourcesCustomizer() {
			return (resources) -> resources.reconnectDelay(
					Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS));
		}

	}

}
