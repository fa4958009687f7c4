package io.github.sessiongate.web;

import java.io.IOException;
import java.util.Objects;

import io.github.sessiongate.CreationPolicy;
import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.internal.SessionGateCore;
import io.github.sessiongate.ledger.BindResult;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * The gate: resolves the request's {@link SessionContext}, admits the request (node
 * capacity, then the session's limits through the ledger), exposes the context while the
 * application runs, and ends the request exactly once when its response is complete for
 * the client — before the last byte can reach it — or when the chain returns or the async
 * cycle completes, whichever comes first.
 *
 * <p>
 * It must run after Spring Session's {@code SessionRepositoryFilter} (order
 * {@code SessionRepositoryFilter.DEFAULT_ORDER}, {@code Integer.MIN_VALUE + 50}) and
 * after Spring Security's filter chain (order {@code -100}) so the session and the
 * authenticated user are known; {@link #DEFAULT_ORDER} places it there. Plain servlet
 * apps register {@code SessionGate.filter()} instead, which includes Spring Session's
 * wrapping.
 *
 * <p>
 * Only the original {@code REQUEST} dispatch is gated. {@code ERROR}, {@code ASYNC},
 * {@code FORWARD} and {@code INCLUDE} dispatches never start a gated request; they see
 * the original's context where there is one. A rejected request never reaches the
 * application.
 *
 * @author SessionGate team
 */
public class SessionGateFilter implements Filter {

	/**
	 * The default order: after Spring Security's filter chain ({@code -100}), before
	 * ordinary application filters ({@code 0}).
	 */
	public static final int DEFAULT_ORDER = -50;

	static final String RATE_POLICY_NAME = "\"session\"";

	private static final String GATED_REQUEST_ATTRIBUTE = GatedRequest.class.getName();

	private final SessionGateCore core;

	private final Config config;

	/**
	 * Creates the filter.
	 * @param core the core that owns what requests do
	 * @param config how requests are read and answered
	 */
	public SessionGateFilter(SessionGateCore core, Config config) {
		this.core = Objects.requireNonNull(core, "core cannot be null");
		this.config = Objects.requireNonNull(config, "config cannot be null");
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		if (!(servletRequest instanceof HttpServletRequest request)
				|| !(servletResponse instanceof HttpServletResponse response)) {
			chain.doFilter(servletRequest, servletResponse);
			return;
		}
		if (request.getDispatcherType() != DispatcherType.REQUEST
				|| request.getAttribute(GATED_REQUEST_ATTRIBUTE) != null) {
			redispatch(request, response, chain);
			return;
		}
		if (ServedPath.isExcluded(request, this.config.excludedPaths())) {
			chain.doFilter(request, response);
			return;
		}
		GatedRequest gated = new GatedRequest(this.core, this.config, request, response);
		request.setAttribute(GATED_REQUEST_ATTRIBUTE, gated);
		boolean admitted = false;
		try {
			admitted = gated.admit();
		}
		finally {
			if (!admitted) {
				// refused, or admission failed (the store, a resolver, writing the
				// refusal): the request ends here, releasing what admission took
				gated.complete(-1);
			}
		}
		if (!admitted) {
			return;
		}
		SessionContext context = Objects.requireNonNull(gated.context());
		SessionContextHolder.setContext(context);
		try {
			chain.doFilter(gated.request(), gated.response());
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			gated.failed(ex);
			throw ex;
		}
		finally {
			// the context as the application left it, with the metadata it added
			SessionContext left = SessionContextHolder.getContext();
			SessionContextHolder.clearContext();
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(gated, gated.request(), gated.response());
				gated.asyncStarted(request.getAsyncContext());
			}
			else {
				gated.complete(-1);
				if (left != null) {
					this.core.recordMetadata(gated.sessionId(), left.metadata());
				}
			}
		}
	}

	/**
	 * Binds a user to the request's session: the one routine behind
	 * {@code SessionGate.bindUser}. On a request this filter gates, a session created
	 * during the request is tracked from now on and the id is rotated first when asked.
	 * On a request it has not seen yet (a login handled by a security filter that runs
	 * before the gate), the session is tracked with that login counted as its first
	 * request, so the sessions-per-user limit is decided at login.
	 * @param request the request
	 * @param userId the user id
	 * @param rotateSessionId whether to rotate the session id first
	 * @return the outcome
	 */
	public BindResult.Outcome bindUser(HttpServletRequest request, String userId, boolean rotateSessionId) {
		if (request.getAttribute(GATED_REQUEST_ATTRIBUTE) instanceof GatedRequest gated) {
			return gated.bind(userId, rotateSessionId);
		}
		return GatedRequest.bindAtLogin(this.core, this.config, request, userId);
	}

	private void redispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		SessionContext previous = SessionContextHolder.getContext();
		if (request.getAttribute(SessionContextHolder.REQUEST_ATTRIBUTE) instanceof SessionContext context) {
			SessionContextHolder.setContext(context);
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (previous != null) {
				SessionContextHolder.setContext(previous);
			}
			else {
				SessionContextHolder.clearContext();
			}
		}
	}

	/**
	 * How the filter reads requests and answers the ones it refuses.
	 *
	 * @param clientIpResolver finds the client's address
	 * @param tenantResolver reads the tenant, if tenants are used
	 * @param deviceIdResolver reads the device id, if used
	 * @param userIdResolver finds the authenticated user
	 * @param rejectionHandler writes refusals
	 * @param creationPolicy when the gate creates sessions
	 * @param excludedPaths paths that bypass the gate
	 * @param rateLimitPolicy the {@code RateLimit-Policy} header value, or {@code null}
	 * to send no rate-limit headers
	 * @param inventoryClientIp how much of the client address a session's origin keeps
	 * @param streamPaths paths whose requests are streams (besides server-sent events and
	 * WebSocket upgrades, which are recognised by their headers)
	 */
	public record Config(ClientIpResolver clientIpResolver, @Nullable RequestValueResolver tenantResolver,
			@Nullable RequestValueResolver deviceIdResolver, UserIdResolver userIdResolver,
			RejectionHandler rejectionHandler, CreationPolicy creationPolicy, PathPatterns excludedPaths,
			@Nullable String rateLimitPolicy, ClientIpPolicy inventoryClientIp, PathPatterns streamPaths) {

		public Config {
			Objects.requireNonNull(clientIpResolver, "clientIpResolver cannot be null");
			Objects.requireNonNull(userIdResolver, "userIdResolver cannot be null");
			Objects.requireNonNull(rejectionHandler, "rejectionHandler cannot be null");
			Objects.requireNonNull(creationPolicy, "creationPolicy cannot be null");
			Objects.requireNonNull(excludedPaths, "excludedPaths cannot be null");
			Objects.requireNonNull(inventoryClientIp, "inventoryClientIp cannot be null");
			Objects.requireNonNull(streamPaths, "streamPaths cannot be null");
		}

		/**
		 * A configuration without stream paths.
		 * @param clientIpResolver finds the client's address
		 * @param tenantResolver reads the tenant, if tenants are used
		 * @param deviceIdResolver reads the device id, if used
		 * @param userIdResolver finds the authenticated user
		 * @param rejectionHandler writes refusals
		 * @param creationPolicy when the gate creates sessions
		 * @param excludedPaths paths that bypass the gate
		 * @param rateLimitPolicy the {@code RateLimit-Policy} header value, or
		 * {@code null}
		 * @param inventoryClientIp how much of the client address a session's origin
		 * keeps
		 */
		public Config(ClientIpResolver clientIpResolver, @Nullable RequestValueResolver tenantResolver,
				@Nullable RequestValueResolver deviceIdResolver, UserIdResolver userIdResolver,
				RejectionHandler rejectionHandler, CreationPolicy creationPolicy, PathPatterns excludedPaths,
				@Nullable String rateLimitPolicy, ClientIpPolicy inventoryClientIp) {
			this(clientIpResolver, tenantResolver, deviceIdResolver, userIdResolver, rejectionHandler, creationPolicy,
					excludedPaths, rateLimitPolicy, inventoryClientIp, PathPatterns.of(java.util.List.of()));
		}

		/**
		 * The {@code RateLimit-Policy} header value for a rate limit (built once: limits
		 * never change).
		 * @param rate the rate limit, or {@code null}
		 * @return the value, or {@code null} without a rate limit
		 */
		public static @Nullable String rateLimitPolicy(io.github.sessiongate.limit.@Nullable RateLimit rate) {
			return (rate != null) ? RATE_POLICY_NAME + ";q=" + rate.capacity() + ";w="
					+ Math.max(1, (rate.refillPeriod().toMillis() + 999) / 1000) : null;
		}

	}

}
