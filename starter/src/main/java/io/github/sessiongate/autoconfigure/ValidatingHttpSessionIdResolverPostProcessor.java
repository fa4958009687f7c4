package io.github.sessiongate.autoconfigure;

import io.github.sessiongate.web.SessionIdValidator;
import io.github.sessiongate.web.ValidatingHttpSessionIdResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.session.web.http.HttpSessionIdResolver;

/**
 * Wraps every {@link HttpSessionIdResolver} bean (the default cookie resolver or one the
 * application defines) in a {@link ValidatingHttpSessionIdResolver}, so that Spring
 * Session's filter, which picks the resolver bean up, never looks up a malformed id.
 *
 * @author SessionGate team
 */
final class ValidatingHttpSessionIdResolverPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<SessionIdValidator> validator;

	ValidatingHttpSessionIdResolverPostProcessor(ObjectProvider<SessionIdValidator> validator) {
		this.validator = validator;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HttpSessionIdResolver resolver && !(bean instanceof ValidatingHttpSessionIdResolver)) {
			return new ValidatingHttpSessionIdResolver(resolver,
					this.validator.getIfAvailable(SessionIdValidator::defaults));
		}
		return bean;
	}

}
