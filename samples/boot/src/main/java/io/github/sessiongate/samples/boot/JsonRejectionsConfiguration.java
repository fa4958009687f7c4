package io.github.sessiongate.samples.boot;

import io.github.sessiongate.web.ProblemJsonRejectionHandler;
import io.github.sessiongate.web.RejectionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * With the {@code json-rejections} profile, browsers get problem+json too instead of Boot's
 * error page: a {@link RejectionHandler} bean replaces the starter's.
 */
@Configuration(proxyBeanMethods = false)
@Profile("json-rejections")
class JsonRejectionsConfiguration {

	@Bean
	RejectionHandler rejectionHandler() {
		return ProblemJsonRejectionHandler.alwaysJson();
	}

}
