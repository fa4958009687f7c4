package io.github.sessiongate.autoconfigure;

import java.util.List;

import io.github.sessiongate.SessionGate;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.session.web.http.HttpSessionIdResolver;

/**
 * The resolver Spring Session's filter uses: ids are read by the application's resolver
 * (the delegate) and then checked by the gate
 * ({@link SessionGate#httpSessionIdResolver()}: malformed ids and other tenants' ids are
 * dropped), so such ids never reach the session repository. The gate is looked up at the
 * first request, which lets the gate itself be built around the delegate.
 *
 * @author SessionGate team
 */
final class GateHttpSessionIdResolver implements HttpSessionIdResolver {

	private final HttpSessionIdResolver delegate;

	private final ObjectProvider<SessionGate> gate;

	private volatile @Nullable HttpSessionIdResolver gateResolver;

	GateHttpSessionIdResolver(HttpSessionIdResolver delegate, ObjectProvider<SessionGate> gate) {
		this.delegate = delegate;
		this.gate = gate;
	}

	HttpSessionIdResolver delegate() {
		return this.delegate;
	}

	@Override
	public List<String> resolveSessionIds(HttpServletRequest request) {
		HttpSessionIdResolver resolver = this.gateResolver;
		if (resolver == null) {
			resolver = this.gate.getObject().httpSessionIdResolver();
			this.gateResolver = resolver;
		}
		return resolver.resolveSessionIds(request);
	}

	@Override
	public void setSessionId(HttpServletRequest request, HttpServletResponse response, String sessionId) {
		this.delegate.setSessionId(request, response, sessionId);
	}

	@Override
	public void expireSession(HttpServletRequest request, HttpServletResponse response) {
		this.delegate.expireSession(request, response);
	}

	/**
	 * Wraps every {@link HttpSessionIdResolver} bean (the starter's cookie resolver or
	 * one the application defines) so that Spring Session, which picks the bean up, reads
	 * ids through the gate.
	 */
	static final class PostProcessor implements BeanPostProcessor {

		private final ObjectProvider<SessionGate> gate;

		PostProcessor(ObjectProvider<SessionGate> gate) {
			this.gate = gate;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof HttpSessionIdResolver resolver && !(bean instanceof GateHttpSessionIdResolver)) {
				return new GateHttpSessionIdResolver(resolver, this.gate);
			}
			return bean;
		}

	}

}
