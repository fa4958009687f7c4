package io.github.sessiongate.web;

import java.io.IOException;
import java.util.Objects;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.springframework.core.Ordered;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * The one filter a plain servlet app registers: Spring Session's
 * {@link SessionRepositoryFilter} (which makes {@code request.getSession()} use the
 * session repository) followed by the {@link SessionGateFilter}. Obtain it from
 * {@link io.github.sessiongate.SessionGate#filter()}.
 *
 * <p>
 * It carries Spring Session's filter order
 * ({@link SessionRepositoryFilter#DEFAULT_ORDER}) so that, registered as a bean, it runs
 * where Spring Session's own filter would.
 *
 * @author SessionGate team
 */
public final class StandaloneSessionGateFilter implements Filter, Ordered {

	private final SessionRepositoryFilter<? extends Session> sessionRepositoryFilter;

	private final SessionGateFilter gateFilter;

	/**
	 * Creates the filter.
	 * @param repository the session repository
	 * @param httpSessionIdResolver how session ids travel (already validating)
	 * @param gateFilter the gate filter
	 */
	public StandaloneSessionGateFilter(SessionRepository<? extends Session> repository,
			HttpSessionIdResolver httpSessionIdResolver, SessionGateFilter gateFilter) {
		Objects.requireNonNull(repository, "repository cannot be null");
		Objects.requireNonNull(httpSessionIdResolver, "httpSessionIdResolver cannot be null");
		this.gateFilter = Objects.requireNonNull(gateFilter, "gateFilter cannot be null");
		this.sessionRepositoryFilter = new SessionRepositoryFilter<>(repository);
		this.sessionRepositoryFilter.setHttpSessionIdResolver(httpSessionIdResolver);
	}

	@Override
	public int getOrder() {
		return SessionRepositoryFilter.DEFAULT_ORDER;
	}

	@Override
	public void init(FilterConfig filterConfig) throws ServletException {
		this.gateFilter.init(filterConfig);
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		this.sessionRepositoryFilter.doFilter(request, response,
				(wrappedRequest, wrappedResponse) -> this.gateFilter.doFilter(wrappedRequest, wrappedResponse, chain));
	}

}
