package io.github.sessiongate.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionInventory;
import io.github.sessiongate.autoconfigure.SessionGateProperties.FailSessionAfter;
import io.github.sessiongate.autoconfigure.SessionGateProperties.Limits;
import io.github.sessiongate.events.SessionGateListener;
import io.github.sessiongate.ledger.InMemorySessionLedger;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.limit.ErrorRatePolicy;
import io.github.sessiongate.limit.RateLimit;
import io.github.sessiongate.limit.SessionLimits;
import io.github.sessiongate.web.ClientIpResolver;
import io.github.sessiongate.web.RejectionHandler;
import io.github.sessiongate.web.SessionGateFilter;
import io.github.sessiongate.web.SessionIdValidator;
import io.github.sessiongate.web.UserIdResolver;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.SpringHttpSessionConfiguration;
import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * Auto-configuration of SessionGate for servlet web applications.
 *
 * <p>
 * It builds a {@link SessionGate} from the {@code sessiongate.*} properties and registers
 * its filter after Spring Session's {@code SessionRepositoryFilter} and after Spring
 * Security's filter chain. Sessions live in the app's Spring Session
 * {@link SessionRepository} (Redis with Spring Session Data Redis, or an in-memory one
 * provided here when there is none); the ledger lives in memory or in Redis (see
 * {@code sessiongate.store}). Spring Session's filter reads session ids through a
 * validating {@link HttpSessionIdResolver}, so malformed ids never reach the repository.
 * Every bean backs off when the application defines its own.
 *
 * @author SessionGate team
 */
@AutoConfiguration(before = SessionAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ SessionGate.class, SessionRepository.class })
@ConditionalOnBooleanProperty(name = "sessiongate.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ SessionGateProperties.class, SessionProperties.class, ServerProperties.class })
@Import({ SessionGateSecurityConfiguration.class, SessionGateMetricsConfiguration.class,
		SessionGateRedisConfiguration.class, SessionGateWebMvcConfiguration.class,
		SessionGateWebSocketConfiguration.class })
public final class SessionGateAutoConfiguration {

	/** Name of the gate filter's registration bean; define one to take over. */
	public static final String FILTER_REGISTRATION_BEAN_NAME = "sessionGateFilterRegistration";

	private static final String ACTUATOR_ENDPOINT_CLASS = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	SessionGate sessionGate(SessionRepository<? extends Session> sessionRepository, SessionLedger sessionGateLedger,
			SessionGateProperties properties, SessionIdValidator sessionGateSessionIdValidator,
			ObjectProvider<UserIdResolver> userIdResolver, ObjectProvider<ClientIpResolver> clientIpResolver,
			ObjectProvider<RejectionHandler> rejectionHandler,
			ObjectProvider<HttpSessionIdResolver> httpSessionIdResolver, ApplicationEventPublisher eventPublisher,
			Environment environment) {
		SessionGate.Builder builder = SessionGate.builder(sessionRepository)
			.ledger(sessionGateLedger)
			.limits(limits(properties.getLimits(), properties))
			.creationPolicy(properties.getCreationPolicy())
			.excludedPaths(excludedPaths(properties, environment))
			.trustedProxies(properties.getClientIp().getTrustedProxies())
			.storeFailurePolicy(properties.getOnStoreFailure())
			.historyRetention(properties.getHistory().getRetention())
			.sweepInterval(properties.getSweepInterval())
			.inventoryClientIp(properties.getInventory().getClientIp())
			.streamPaths(properties.getStreams().getPaths())
			.streamCheckInterval(properties.getStreams().getCheckInterval())
			.keptMetadata(properties.getInventory().getMetadata().policy())
			.sessionIdValidator(sessionGateSessionIdValidator);
		if (properties.getTenant().getHeader() != null) {
			builder.tenantHeader(properties.getTenant().getHeader());
		}
		if (properties.getDevice().getHeader() != null) {
			builder.deviceHeader(properties.getDevice().getHeader());
		}
		userIdResolver.ifAvailable(builder::userIdResolver);
		clientIpResolver.ifAvailable(builder::clientIpResolver);
		rejectionHandler.ifAvailable(builder::rejectionHandler);
		httpSessionIdResolver.ifAvailable((resolver) -> builder.httpSessionIdResolver(
				(resolver instanceof GateHttpSessionIdResolver gateResolver) ? gateResolver.delegate() : resolver));
		builder.listener(new ApplicationEventPublishingListener(eventPublisher));
		return builder.build();
	}

	/**
	 * Adds the application's {@link SessionGateListener} beans to the gate once every
	 * singleton exists, so that a listener may itself depend on the gate.
	 * @param sessionGate the gate
	 * @param listeners the listener beans
	 * @return the registrar
	 */
	@Bean
	SmartInitializingSingleton sessionGateListenerRegistrar(SessionGate sessionGate,
			ObjectProvider<SessionGateListener> listeners) {
		return () -> listeners.orderedStream().forEach(sessionGate::addListener);
	}

	/**
	 * Closes the node's open streams as soon as the context starts closing, before the
	 * web server's graceful shutdown waits for requests in progress: streams would never
	 * end by themselves.
	 * @param sessionGate the gate
	 * @return the listener
	 */
	@Bean
	ApplicationListener<ContextClosedEvent> sessionGateStreamCloser(SessionGate sessionGate) {
		return (event) -> sessionGate.closeStreams();
	}

	/**
	 * The users' view of their own sessions.
	 * @param sessionGate the gate
	 * @return the gate's inventory
	 */
	@Bean
	@ConditionalOnMissingBean
	SessionInventory sessionGateInventory(SessionGate sessionGate) {
		return sessionGate.inventory();
	}

	@Bean(name = FILTER_REGISTRATION_BEAN_NAME)
	@ConditionalOnMissingBean(name = FILTER_REGISTRATION_BEAN_NAME)
	FilterRegistrationBean<SessionGateFilter> sessionGateFilterRegistration(SessionGate sessionGate,
			SessionGateProperties properties) {
		FilterRegistrationBean<SessionGateFilter> registration = new FilterRegistrationBean<>(sessionGate.gateFilter());
		registration.setName("sessionGateFilter");
		registration.setOrder(properties.getFilterOrder());
		// re-dispatches are recognised by the filter: they see the context, are not
		// counted again
		registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	SessionIdValidator sessionGateSessionIdValidator() {
		return SessionIdValidator.defaults();
	}

	@Bean
	static BeanPostProcessor sessionGateHttpSessionIdResolverPostProcessor(ObjectProvider<SessionGate> sessionGate) {
		return new GateHttpSessionIdResolver.PostProcessor(sessionGate);
	}

	/**
	 * Makes Spring Session read session ids from the cookie Boot configures
	 * ({@code server.servlet.session.cookie.*}); the post-processor routes it through the
	 * gate's validation. Declared as {@link CookieHttpSessionIdResolver} so that Boot
	 * still creates its cookie serializer.
	 * @param cookieSerializer Boot's cookie serializer
	 * @return the resolver
	 */
	@Bean
	@ConditionalOnMissingBean(HttpSessionIdResolver.class)
	CookieHttpSessionIdResolver sessionGateHttpSessionIdResolver(ObjectProvider<CookieSerializer> cookieSerializer) {
		CookieHttpSessionIdResolver resolver = new CookieHttpSessionIdResolver();
		cookieSerializer.ifAvailable(resolver::setCookieSerializer);
		return resolver;
	}

	/**
	 * The configured excluded paths plus, unless turned off, Actuator's base path.
	 */
	static List<String> excludedPaths(SessionGateProperties properties, Environment environment) {
		List<String> paths = new ArrayList<>(properties.getExcludedPaths());
		if (properties.isExcludeActuator() && ClassUtils.isPresent(ACTUATOR_ENDPOINT_CLASS, null)) {
			String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
			// with endpoints at the root, excluding the base path would exclude
			// everything
			if (basePath.startsWith("/") && basePath.length() > 1) {
				paths.add((basePath.endsWith("/") ? basePath : basePath + "/") + "**");
			}
		}
		return paths;
	}

	private static SessionLimits limits(Limits limits, SessionGateProperties properties) {
		SessionLimits.Builder builder = SessionLimits.builder()
			.maxConcurrentRequestsPerSession(limits.getMaxConcurrentRequestsPerSession())
			.maxActiveRequests(limits.getMaxActiveRequests())
			.maxSessionsPerUser(limits.getMaxSessionsPerUser())
			.sessionsPerUserPolicy(limits.getSessionsPerUserPolicy())
			.maxSessions(limits.getMaxSessions())
			.maxStreamsPerSession(limits.getMaxStreamsPerSession())
			.maxActiveStreams(limits.getMaxActiveStreams())
			.absoluteTimeout(properties.getTimeouts().getAbsolute());
		FailSessionAfter failSessionAfter = properties.getErrors().getFailSessionAfter();
		if (failSessionAfter.getMinRequests() > 0) {
			builder.failSessionAfter(
					new ErrorRatePolicy(failSessionAfter.getMinRequests(), failSessionAfter.getMaxErrorRatio()));
		}
		if (limits.getRate().getCapacity() > 0) {
			builder.rate(new RateLimit(limits.getRate().getCapacity(), limits.getRate().getRefillPeriod()));
		}
		return builder.build();
	}

	/**
	 * The in-memory ledger, unless the store is Redis.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(SessionGateStoreConditions.OnMemoryStore.class)
	static class InMemoryLedgerConfiguration {

		@Bean(destroyMethod = "")
		@ConditionalOnMissingBean(SessionLedger.class)
		InMemorySessionLedger sessionGateLedger(SessionGateProperties properties) {
			// the gate closes its ledger
			return new InMemorySessionLedger(Clock.systemUTC(), properties.getHistory().getRetention());
		}

	}

	/**
	 * Fails start-up with the reason when {@code sessiongate.store=redis} cannot be
	 * served.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(SessionGateStoreConditions.OnUnavailableRedisStore.class)
	static class UnavailableRedisLedgerConfiguration {

		@Bean(destroyMethod = "")
		@ConditionalOnMissingBean(SessionLedger.class)
		SessionLedger sessionGateLedger(ListableBeanFactory beanFactory, Environment environment) {
			String missing = SessionGateStoreConditions.missingForRedis(getClass().getClassLoader(), beanFactory,
					environment);
			throw new InvalidConfigurationPropertyValueException("sessiongate.store", "redis",
					"the Redis store cannot be used: " + missing);
		}

	}

	/**
	 * The max inactive interval of new sessions: {@code spring.session.timeout}, else
	 * {@code server.servlet.session.timeout} (as Boot decides), else Spring Session's 30
	 * minutes.
	 */
	static Duration sessionTimeout(SessionProperties sessionProperties, ServerProperties serverProperties) {
		Duration timeout = sessionProperties.getTimeout();
		if (timeout == null) {
			timeout = serverProperties.getServlet().getSession().getTimeout();
		}
		return (timeout != null) ? timeout : Duration.ofSeconds(MapSession.DEFAULT_MAX_INACTIVE_INTERVAL_SECONDS);
	}

	/**
	 * An in-memory session repository with Spring Session's filter, for apps that have no
	 * session repository of their own (no Spring Session Data Redis, no
	 * {@code @EnableSpringHttpSession}).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean({ SessionRepository.class, SessionRepositoryFilter.class })
	@Import(SpringHttpSessionConfiguration.class)
	static class InMemorySessionRepositoryConfiguration {

		@Bean
		MapSessionRepository sessionRepository(SessionProperties sessionProperties, ServerProperties serverProperties) {
			Map<String, Session> sessions = new ConcurrentHashMap<>();
			MapSessionRepository repository = new MapSessionRepository(sessions);
			// spring.session.timeout, else server.servlet.session.timeout (as Boot
			// decides)
			repository.setDefaultMaxInactiveInterval(sessionTimeout(sessionProperties, serverProperties));
			return repository;
		}

	}

}
