package io.github.sessiongate.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.limit.ErrorRatePolicy;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.store.StoreCircuitBreaker;
import io.github.sessiongate.store.StoreUnavailableException;
import io.github.sessiongate.web.StoreFailureFilter;
import io.github.sessiongate.web.ClientIpResolver;
import io.github.sessiongate.web.Problem;
import io.github.sessiongate.web.RejectionHandler;
import io.github.sessiongate.web.SessionGateFilter;
import io.github.sessiongate.web.UserIdResolver;
import io.github.sessiongate.web.ValidatingHttpSessionIdResolver;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.HeaderHttpSessionIdResolver;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionGateAutoConfiguration} and
 * {@link SessionGateActuatorAutoConfiguration}: conditions, back-off and property
 * validation.
 *
 * @author SessionGate team
 */
class SessionGateAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionGateAutoConfiguration.class,
				SessionGateActuatorAutoConfiguration.class, SessionAutoConfiguration.class));

	@Test
	void autoConfigurationWhenDefaultsThenRegistersGateFilterAfterSpringSessionWithInMemoryStore() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(SessionGate.class);
			assertThat(context).hasSingleBean(SessionRepositoryFilter.class);
			assertThat(context).hasSingleBean(MapSessionRepository.class);
			assertThat(context.getBean(SessionLedger.class)).isInstanceOf(InMemorySessionLedger.class);
			FilterRegistrationBean<?> registration = context
				.getBean(SessionGateAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(SessionGateFilter.class);
			assertThat(registration.getOrder()).isEqualTo(SessionGateFilter.DEFAULT_ORDER)
				.isGreaterThan(SessionRepositoryFilter.DEFAULT_ORDER)
				.isGreaterThan(-100);
			HttpSessionIdResolver resolver = context.getBean(HttpSessionIdResolver.class);
			assertThat(resolver).isInstanceOf(GateHttpSessionIdResolver.class);
			assertThat(((GateHttpSessionIdResolver) resolver).delegate())
				.isInstanceOf(CookieHttpSessionIdResolver.class);
			assertThat(context.getBean(SessionGate.class).httpSessionIdResolver())
				.isInstanceOf(ValidatingHttpSessionIdResolver.class);
			assertThat(context).hasBean("sessionGateMeterBinder");
			assertThat(context.getBean(UserIdResolver.class)).isInstanceOf(AuthenticationUserIdResolver.class);
		});
	}

	@Test
	void autoConfigurationWhenDisabledThenConfiguresNothing() {
		this.contextRunner.withPropertyValues("sessiongate.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(SessionGate.class);
			assertThat(context).doesNotHaveBean(SessionGateAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME);
			assertThat(context).doesNotHaveBean(SessionLedger.class);
			assertThat(context).doesNotHaveBean(SessionGateEndpoint.class);
		});
	}

	@Test
	void autoConfigurationWhenFilterOrderSetThenRegistrationUsesIt() {
		this.contextRunner.withPropertyValues("sessiongate.filter-order=10").run((context) -> {
			FilterRegistrationBean<?> registration = context
				.getBean(SessionGateAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class);
			assertThat(registration.getOrder()).isEqualTo(10);
		});
	}

	@Test
	void autoConfigurationWhenStoreMemoryThenUsesInMemoryLedger() {
		this.contextRunner.withPropertyValues("sessiongate.store=memory")
			.run((context) -> assertThat(context.getBean(SessionLedger.class))
				.isInstanceOf(InMemorySessionLedger.class));
	}

	@Test
	void autoConfigurationWhenStoreAutoAndRedisPresentThenUsesRedisLedger() {
		this.contextRunner.withUserConfiguration(RedisConnectionFactoryConfiguration.class)
			.run((context) -> assertThat(context.getBean(SessionLedger.class))
				.isInstanceOf(io.github.sessiongate.redis.RedisSessionLedger.class));
	}

	@Test
	void lettuceOptionsWhenClusterAndNoRefreshPropertyThenTopologyRefreshesAdaptivelyAndEveryFiveSeconds() {
		this.contextRunner.withUserConfiguration(RedisConnectionFactoryConfiguration.class).run((context) -> {
			ClusterTopologyRefreshOptions refresh = customizedClusterRefresh(context, ClusterClientOptions.builder());
			assertThat(refresh.getAdaptiveRefreshTriggers())
				.containsExactlyInAnyOrder(ClusterTopologyRefreshOptions.RefreshTrigger.values());
			assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
			assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
			assertThat(refresh.useDynamicRefreshSources()).isTrue();
		});
	}

	@Test
	void lettuceOptionsWhenClusterRefreshPropertySetThenBootsRefreshIsLeftAsConfigured() {
		this.contextRunner.withUserConfiguration(RedisConnectionFactoryConfiguration.class)
			.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.adaptive=false")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = customizedClusterRefresh(context, ClusterClientOptions.builder()
					.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().build()));
				assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
				assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
			});
	}

	private static ClusterTopologyRefreshOptions customizedClusterRefresh(
			org.springframework.context.ApplicationContext context, ClusterClientOptions.Builder options) {
		context.getBeanProvider(LettuceClientOptionsBuilderCustomizer.class)
			.orderedStream()
			.forEach((customizer) -> customizer.customize(options));
		return options.build().getTopologyRefreshOptions();
	}

	@Test
	void autoConfigurationWhenRedisWithoutSpringSessionDataRedisThenSessionGateStoresTheSessions() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SessionGateRedisSessionsAutoConfiguration.class))
			.withUserConfiguration(RedisConnectionFactoryConfiguration.class)
			.withClassLoader(new FilteredClassLoader("org.springframework.session.data.redis"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionLedger.class))
					.isInstanceOf(io.github.sessiongate.redis.RedisSessionLedger.class);
				SessionRepository<?> repository = context.getBean(SessionRepository.class);
				assertThat(repository).isInstanceOfSatisfying(GuardedSessionRepository.class,
						(guarded) -> assertThat(guarded.delegate())
							.isInstanceOf(io.github.sessiongate.redis.SessionGateRedisSessionRepository.class));
				assertThat(context.getBean(SessionGate.class).repository()).isSameAs(repository);
				assertThat(context).hasSingleBean(SessionRepositoryFilter.class);
			});
	}

	@Test
	void autoConfigurationWhenSessionGatesRepositoryAskedForWithMemoryStoreThenFailsNamingTheProperty() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SessionGateRedisSessionsAutoConfiguration.class))
			.withUserConfiguration(RedisConnectionFactoryConfiguration.class)
			.withPropertyValues("sessiongate.store=memory", "sessiongate.redis.session-repository=sessiongate")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(messages(context.getStartupFailure())).contains("sessiongate.redis.session-repository")
					.contains("sessiongate.store is memory");
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void sessionGatesRepositoryWhenBootSessionPropertiesSetThenTimeoutAndFlushModeApply() {
		String redisUri = io.github.sessiongate.testsupport.RedisTestServer.shared().uri();
		this.contextRunner.withConfiguration(AutoConfigurations.of(SessionGateRedisSessionsAutoConfiguration.class))
			.withBean(org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory.class,
					() -> io.github.sessiongate.redis.RedisSessionLedger.connectionFactory(redisUri,
							Duration.ofSeconds(2)))
			.withPropertyValues("sessiongate.redis.session-repository=sessiongate", "spring.session.timeout=7m",
					"spring.session.data.redis.flush-mode=immediate",
					"sessiongate.redis.key-prefix=boot-props-" + java.util.UUID.randomUUID() + ":")
			.run((context) -> {
				SessionRepository<Session> repository = context.getBean("sessionRepository", SessionRepository.class);
				Session session = repository.createSession();
				assertThat(session.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(7));
				// flush mode immediate: written at once, no save
				session.setAttribute("a", "1");
				Session stored = repository.findById(session.getId());
				assertThat(stored).isNotNull();
				assertThat(stored.<String>getAttribute("a")).isEqualTo("1");
				assertThat(stored.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(7));
				repository.deleteById(session.getId());
			});
	}

	@Test
	void autoConfigurationWhenSessionRepositoryIsSpringSessionThenSessionGateStoresNoSessions() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SessionGateRedisSessionsAutoConfiguration.class))
			.withUserConfiguration(RedisConnectionFactoryConfiguration.class)
			.withPropertyValues("sessiongate.redis.session-repository=spring-session")
			.run((context) -> assertThat(context)
				.doesNotHaveBean(io.github.sessiongate.redis.SessionGateRedisSessionRepository.class)
				.doesNotHaveBean(GuardedSessionRepository.class));
	}

	@Test
	void autoConfigurationWhenSessionRepositoryIsSessionGateButAppHasItsOwnThenTheAppsWins() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SessionGateRedisSessionsAutoConfiguration.class))
			.withUserConfiguration(RedisConnectionFactoryConfiguration.class, OwnRepositoryConfiguration.class)
			.withPropertyValues("sessiongate.redis.session-repository=sessiongate")
			.run((context) -> assertThat(context.getBean(SessionRepository.class))
				.isInstanceOf(MapSessionRepository.class));
	}

	@Test
	void autoConfigurationWhenStoreRedisThenSessionRepositoryAndLedgerShareOneCircuitBreakerBehindTheFailureFilter() {
		this.contextRunner.withUserConfiguration(RedisConnectionFactoryConfiguration.class)
			.withPropertyValues("sessiongate.on-store-failure=reject")
			.run((context) -> {
				io.github.sessiongate.redis.RedisSessionLedger ledger = context
					.getBean(io.github.sessiongate.redis.RedisSessionLedger.class);
				SessionRepository<?> repository = context.getBean(SessionRepository.class);
				// still the repository's own class, guarded by a proxy
				assertThat(repository).isInstanceOf(MapSessionRepository.class);
				assertThat(org.springframework.aop.support.AopUtils.isAopProxy(repository)).isTrue();
				assertThat(context.getBean(SessionGate.class).repository()).isSameAs(repository);
				assertThat(context.getBean(StoreCircuitBreaker.class)).isSameAs(ledger.circuitBreaker());
				FilterRegistrationBean<?> registration = context.getBean(
						SessionGateRedisConfiguration.STORE_FAILURE_FILTER_BEAN_NAME, FilterRegistrationBean.class);
				assertThat(registration.getFilter()).isInstanceOf(StoreFailureFilter.class);
				assertThat(registration.getOrder()).isLessThan(SessionRepositoryFilter.DEFAULT_ORDER);
			});
	}

	@ParameterizedTest
	@CsvSource({ "allow", "reject" })
	void sessionRepositoryWhenStoreUnreachableThenAppliesTheStoreFailurePolicy(String policy) {
		this.contextRunner.withUserConfiguration(RedisConnectionFactoryConfiguration.class, UnreachableSessions.class)
			.withPropertyValues("sessiongate.on-store-failure=" + policy)
			.run((context) -> {
				SessionRepository<?> repository = context.getBean(SessionRepository.class);
				assertThat(repository).isInstanceOf(UnreachableSessionRepository.class);
				if (policy.equals("allow")) {
					assertThat(repository.findById("id")).isNull();
				}
				else {
					org.assertj.core.api.Assertions.assertThatExceptionOfType(StoreUnavailableException.class)
						.isThrownBy(() -> repository.findById("id"));
				}
				// the first failure opened the breaker: the store is not asked again
				assertThat(context.getBean(StoreCircuitBreaker.class).isOpen()).isTrue();
				repository.deleteById("id");
				assertThat(((UnreachableSessionRepository) repository).calls()).isEqualTo(1);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UnreachableSessions {

		@Bean
		UnreachableSessionRepository sessionRepository() {
			return new UnreachableSessionRepository();
		}

	}

	/**
	 * A session repository whose store cannot be reached, as Spring Data Redis reports
	 * it.
	 */
	static class UnreachableSessionRepository extends MapSessionRepository {

		private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

		UnreachableSessionRepository() {
			super(new java.util.HashMap<>());
		}

		@Override
		public org.springframework.session.MapSession findById(String id) {
			this.calls.incrementAndGet();
			throw new org.springframework.data.redis.RedisConnectionFailureException("Unable to connect to Redis");
		}

		@Override
		public void deleteById(String id) {
			this.calls.incrementAndGet();
			throw new org.springframework.data.redis.RedisConnectionFailureException("Unable to connect to Redis");
		}

		int calls() {
			return this.calls.get();
		}

	}

	@Test
	void autoConfigurationWhenStoreMemoryThenSessionRepositoryIsNotGuarded() {
		this.contextRunner.withPropertyValues("sessiongate.store=memory").run((context) -> {
			assertThat(org.springframework.aop.support.AopUtils.isAopProxy(context.getBean(SessionRepository.class)))
				.isFalse();
			assertThat(context).doesNotHaveBean(SessionGateRedisConfiguration.STORE_FAILURE_FILTER_BEAN_NAME);
		});
	}

	@Test
	void autoConfigurationWhenStoreAutoAndRedisLedgerClassMissingThenUsesInMemoryLedger() {
		this.contextRunner.withUserConfiguration(RedisConnectionFactoryConfiguration.class)
			.withClassLoader(new FilteredClassLoader("io.github.sessiongate.redis"))
			.run((context) -> assertThat(context.getBean(SessionLedger.class))
				.isInstanceOf(InMemorySessionLedger.class));
	}

	@Test
	void autoConfigurationWhenStoreMemoryAndRedisPresentThenUsesInMemoryLedger() {
		this.contextRunner.withUserConfiguration(RedisConnectionFactoryConfiguration.class)
			.withPropertyValues("sessiongate.store=memory")
			.run((context) -> assertThat(context.getBean(SessionLedger.class))
				.isInstanceOf(InMemorySessionLedger.class));
	}

	@Test
	void autoConfigurationWhenStoreRedisAndRedisUnavailableThenFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("sessiongate.store=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("sessiongate.store")
					.hasMessageContaining("redis");
			});
	}

	@Test
	void autoConfigurationWhenNoMicrometerThenGateWorksWithoutMeters() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(SessionGate.class);
			assertThat(context).doesNotHaveBean("sessionGateMeterBinder");
		});
	}

	@Test
	void autoConfigurationWhenNoSpringSecurityThenUsesPrincipalResolver() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(SessionGate.class);
			assertThat(context).doesNotHaveBean(UserIdResolver.class);
			assertThat(context).doesNotHaveBean("sessionGateSessionIdChangeListener");
		});
	}

	@Test
	void autoConfigurationWhenEndpointExposedThenRegistersEndpointAndHealth() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sessiongate")
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionGateEndpoint.class);
				assertThat(context).hasSingleBean(SessionGateHealthIndicator.class);
			});
	}

	@Test
	void autoConfigurationWhenEndpointNotExposedThenNoEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SessionGateEndpoint.class));
	}

	@Test
	void autoConfigurationWhenNoActuatorThenNoEndpointAndNoHealth() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sessiongate")
			.withClassLoader(
					new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(SessionGate.class);
				assertThat(context).doesNotHaveBean(SessionGateEndpoint.class);
				assertThat(context).doesNotHaveBean(SessionGateHealthIndicator.class);
			});
	}

	@Test
	void autoConfigurationWhenUserDefinesBeansThenTheyWin() {
		this.contextRunner.withUserConfiguration(UserBeansConfiguration.class).run((context) -> {
			SessionGate gate = context.getBean(SessionGate.class);
			assertThat(gate.ledger()).isSameAs(context.getBean("userLedger"));
			assertThat(gate.userIdResolver()).isSameAs(context.getBean("userIdResolver"));
			assertThat(gate.clientIpResolver()).isSameAs(context.getBean("clientIpResolver"));
			assertThat(gate.rejectionHandler()).isSameAs(context.getBean("rejectionHandler"));
			HttpSessionIdResolver resolver = context.getBean(HttpSessionIdResolver.class);
			// the user's header resolver is kept, and ids go through the gate's checks
			assertThat(resolver).isInstanceOf(GateHttpSessionIdResolver.class);
			assertThat(((GateHttpSessionIdResolver) resolver).delegate())
				.isInstanceOf(HeaderHttpSessionIdResolver.class);
			assertThat(context).doesNotHaveBean("sessionGateHttpSessionIdResolver");
		});
	}

	@Test
	void autoConfigurationWhenUserDefinesGateThenBacksOff() {
		this.contextRunner.withUserConfiguration(UserGateConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SessionGate.class);
			assertThat(context.getBean(SessionGate.class).limits().maxActiveRequests()).isEqualTo(7);
		});
	}

	@Test
	void autoConfigurationWhenPropertiesSetThenGateUsesThem() {
		this.contextRunner
			.withPropertyValues("sessiongate.limits.max-concurrent-requests-per-session=3",
					"sessiongate.limits.max-active-requests=100", "sessiongate.limits.rate.capacity=20",
					"sessiongate.limits.rate.refill-period=2s", "sessiongate.limits.max-sessions-per-user=2",
					"sessiongate.limits.sessions-per-user-policy=end-oldest", "sessiongate.limits.max-sessions=1000",
					"sessiongate.timeouts.absolute=8h", "sessiongate.creation-policy=always",
					"sessiongate.on-store-failure=reject", "sessiongate.tenant.header=X-Tenant-Id",
					"sessiongate.device.header=X-Device-Id", "sessiongate.client-ip.trusted-proxies=10.0.0.0/8",
					"sessiongate.errors.fail-session-after.min-requests=20",
					"sessiongate.errors.fail-session-after.max-error-ratio=0.25")
			.run((context) -> {
				SessionGate gate = context.getBean(SessionGate.class);
				assertThat(gate.limits().maxConcurrentRequestsPerSession()).isEqualTo(3);
				assertThat(gate.limits().maxActiveRequests()).isEqualTo(100);
				assertThat(gate.limits().rate().capacity()).isEqualTo(20);
				assertThat(gate.limits().rate().refillPeriod()).hasSeconds(2);
				assertThat(gate.limits().maxSessionsPerUser()).isEqualTo(2);
				assertThat(gate.limits().sessionsPerUserPolicy().name()).isEqualTo("END_OLDEST");
				assertThat(gate.limits().maxSessions()).isEqualTo(1000);
				assertThat(gate.limits().absoluteTimeout()).hasHours(8);
				assertThat(gate.creationPolicy().name()).isEqualTo("ALWAYS");
				assertThat(gate.storeFailurePolicy().name()).isEqualTo("REJECT");
				assertThat(gate.tenantResolver()).isNotNull();
				assertThat(gate.deviceIdResolver()).isNotNull();
				assertThat(gate.limits().errorRatePolicy()).isEqualTo(new ErrorRatePolicy(20, 0.25));
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "sessiongate.limits.max-sessions=-1|sessiongate.limits.max-sessions",
			"sessiongate.limits.max-active-requests=-5|sessiongate.limits.max-active-requests",
			"sessiongate.limits.rate.refill-period=0s|sessiongate.limits.rate.refill-period",
			"sessiongate.timeouts.absolute=-1m|sessiongate.timeouts.absolute",
			"sessiongate.filter-order=-2147483648|sessiongate.filter-order",
			"sessiongate.client-ip.trusted-proxies=not-a-cidr|sessiongate.client-ip.trusted-proxies",
			"sessiongate.tenant.header=bad header|sessiongate.tenant.header",
			"sessiongate.redis.key-prefix={x}|sessiongate.redis.key-prefix",
			"sessiongate.creation-policy=sometimes|sessiongate.creation-policy",
			"sessiongate.limits.max-sessions-per-user=many|sessiongate.limits.max-sessions-per-user",
			"sessiongate.errors.fail-session-after.max-error-ratio=1.5|sessiongate.errors.fail-session-after.max-error-ratio",
			"sessiongate.store=cloud|sessiongate.store", "sessiongate.sweep-interval=0s|sessiongate.sweep-interval",
			"sessiongate.history.retention=0s|sessiongate.history.retention",
			"sessiongate.redis.session-repository=mongo|sessiongate.redis.session-repository",
			"sessiongate.inventory.metadata.keys=plan,bad key|sessiongate.inventory.metadata.keys",
			"sessiongate.inventory.metadata.keys=plan,plan|sessiongate.inventory.metadata.keys",
			"sessiongate.inventory.metadata.max-value-length=2000|sessiongate.inventory.metadata.max-value-length" })
	void autoConfigurationWhenPropertyInvalidThenFailsNamingTheProperty(String property, String name) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains(name);
		});
	}

	private static String messages(Throwable failure) {
		List<String> messages = new ArrayList<>();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.add(String.valueOf(cause.getMessage()));
		}
		return String.join("\n", messages);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRepositoryConfiguration {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new java.util.concurrent.ConcurrentHashMap<>());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RedisConnectionFactoryConfiguration {

		@Bean
		org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory redisConnectionFactory() {
			return new org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeansConfiguration {

		@Bean
		SessionLedger userLedger() {
			return new InMemorySessionLedger();
		}

		@Bean
		UserIdResolver userIdResolver() {
			return (request) -> request.getHeader("X-User");
		}

		@Bean
		ClientIpResolver clientIpResolver() {
			return (request) -> "192.0.2.1";
		}

		@Bean
		RejectionHandler rejectionHandler() {
			return new RejectionHandler() {
				@Override
				public void reject(HttpServletRequest request, HttpServletResponse response, Problem problem)
						throws IOException {
					response.sendError(problem.status());
				}
			};
		}

		@Bean
		HttpSessionIdResolver httpSessionIdResolver() {
			return HeaderHttpSessionIdResolver.xAuthToken();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserGateConfiguration {

		@Bean(destroyMethod = "close")
		SessionGate userGate() {
			return SessionGate.builder(new MapSessionRepository(new java.util.concurrent.ConcurrentHashMap<>()))
				.limits(io.github.sessiongate.limit.SessionLimits.builder().maxActiveRequests(7).build())
				.sweepInterval(Duration.ZERO)
				.build();
		}

	}

}
