package io.github.sessiongate.autoconfigure;

import java.util.Objects;

import io.github.sessiongate.SessionInventory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Spring MVC's asynchronous processing sees the session context: a {@code Callable},
 * {@code WebAsyncTask} or {@code StreamingResponseBody} runs with the request's context
 * and MDC keys ({@link SessionContextCallableProcessingInterceptor}), whichever executor
 * runs it. {@code DeferredResult} values are handled in the re-dispatch, which the gate
 * filter gives the context.
 *
 * <p>
 * The starter does not decorate Spring Boot's {@code applicationTaskExecutor}: an
 * application that declares Spring's {@code ContextPropagatingTaskDecorator} bean gets
 * the context (through {@link io.github.sessiongate.SessionContextThreadLocalAccessor})
 * in {@code @Async} methods, with Spring Security's context and the observation beside
 * it.
 *
 * @author SessionGate team
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(WebMvcConfigurer.class)
class SessionGateWebMvcConfiguration {

	@Bean
	WebMvcConfigurer sessionGateAsyncSupportConfigurer() {
		return new WebMvcConfigurer() {

			@Override
			public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
				configurer.registerCallableInterceptors(new SessionContextCallableProcessingInterceptor());
			}

		};
	}

	/**
	 * The signed-in user's REST API to their own sessions, when
	 * {@code sessiongate.inventory.api-path} is set.
	 * @param inventory the inventory
	 * @param properties the properties
	 * @return the routes
	 */
	@Bean
	@ConditionalOnProperty(name = "sessiongate.inventory.api-path")
	RouterFunction<ServerResponse> sessionGateInventoryApi(SessionInventory inventory,
			SessionGateProperties properties) {
		return SessionInventoryApi.routes(Objects.requireNonNull(properties.getInventory().getApiPath()), inventory);
	}

}
