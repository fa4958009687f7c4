package io.github.sessiongate.web;

import java.io.IOException;
import java.util.Objects;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * The one filter a plain servlet app registers: Spring Session's
 * {@link SessionRepositoryFilter} (which makes {@code request.getSession()} use the
 * session repository) followed by the {@link SessionGateFilter}. Obtain it from
 * {@code SessionGate.filter()}.
 *
 * <p>
 * Like Spring Session's filter, it does not implement Spring's {@code Ordered}: a plain
 * servlet app has no {@code spring-core} ({@code spring-session-core} does not bring it),
 * and the filter must load with only what {@code sessiongate-middleware} declares. Where
 * an order is needed (a Spring app registering it as a bean), use {@link #DEFAULT_ORDER},
 * Spring Session's own order, so that it runs where Spring Session's filter would.
 *
 * @author SessionGate team
 */
public final class StandaloneSessionGateFilter implements Filter {

	/**
	 * The order to register this filter at: Spring Session's
	 * ({@link SessionRepositoryFilter#DEFAULT_ORDER}), since it includes Spring Session's
	 * filter.
	 */
	public static final int DEFAULT_ORDER = SessionRepositoryFilter.DEFAULT_ORDER;

	private final SessionRepositoryFilter<? extends Session> sessionRepositoryFilter;

	private final SessionGateFilter gateFilter;

	private final @Nullable StoreFailureFilter storeFailureFilter;

	/**
	 * Creates the filter.
	 * @param repository the session repository
	 * @param httpSessionIdResolver how session ids travel (already validating)
	 * @param gateFilter the gate filter
	 */
	public StandaloneSessionGateFilter(SessionRepository<? extends Session> repository,
			HttpSessionIdResolver httpSessionIdResolver, SessionGateFilter gateFilter) {
		this(repository, httpSessionIdResolver, gateFilter, null);
	}

	/**
	 * Creates the filter with the outer guard of the store-failure policy.
	 * @param repository the session repository
	 * @param httpSessionIdResolver how session ids travel (already validating)
	 * @param gateFilter the gate filter
	 * @param storeFailureFilter answers {@code 503} when the session store is unavailable
	 */
	public StandaloneSessionGateFilter(SessionRepository<? extends Session> repository,
			HttpSessionIdResolver httpSessionIdResolver, SessionGateFilter gateFilter,
			@Nullable StoreFailureFilter storeFailureFilter) {
		this.storeFailureFilter = storeFailureFilter;
		Objects.requireNonNull(repository, "repository cannot be null");
		Objects.requireNonNull(httpSessionIdResolver, "httpSessionIdResolver cannot be null");
		this.gateFilter = Objects.requireNonNull(gateFilter, "gateFilter cannot be null");
		this.sessionRepositoryFilter = new SessionRepositoryFilter<>(repository);
		this.sessionRepositoryFilter.setHttpSessionIdResolver(httpSessionIdResolver);
	}

	@Override
	public void init(FilterConfig filterConfig) throws ServletException {
		this.gateFilter.init(filterConfig);
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		FilterChain gated = (sessionRequest, sessionResponse) -> this.sessionRepositoryFilter.doFilter(sessionRequest,
				sessionResponse,
				(wrappedRequest, wrappedResponse) -> this.gateFilter.doFilter(wrappedRequest, wrappedResponse, chain));
		if (this.storeFailureFilter != null) {
			this.storeFailureFilter.doFilter(request, response, gated);
		}
		else {
			gated.doFilter(request, response);
		}
	}

}
