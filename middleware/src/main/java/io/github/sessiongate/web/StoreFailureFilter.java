package io.github.sessiongate.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

import io.github.sessiongate.internal.SessionGateCore;
import io.github.sessiongate.ledger.RequestScopedLedger;
import io.github.sessiongate.store.StoreUnavailableException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * The outer guard of the store-failure policy {@code reject}: catches a
 * {@link StoreUnavailableException} that left the request (Spring Session could not load
 * the session, in Spring Security's filters, the gate or the application) and answers
 * {@code 503} with {@code Retry-After} and a problem body through the gate's
 * {@link RejectionHandler}, instead of the container's {@code 500}. It must run before
 * Spring Session's {@code SessionRepositoryFilter}: {@link #DEFAULT_ORDER}. Plain servlet
 * apps need not register it: {@code SessionGate.filter()} includes it.
 *
 * @author SessionGate team
 */
public final class StoreFailureFilter implements Filter {

	/** Just before Spring Session's {@code SessionRepositoryFilter}. */
	public static final int DEFAULT_ORDER = SessionRepositoryFilter.DEFAULT_ORDER - 1;

	private static final Logger logger = LoggerFactory.getLogger(StoreFailureFilter.class);

	private final RejectionHandler rejectionHandler;

	private final Duration retryAfter;

	private final @Nullable SessionGateCore core;

	/**
	 * Creates the filter.
	 * @param rejectionHandler writes the {@code 503} answer
	 * @param retryAfter the {@code Retry-After} hint
	 */
	public StoreFailureFilter(RejectionHandler rejectionHandler, Duration retryAfter) {
		this(rejectionHandler, retryAfter, null);
	}

	/**
	 * Creates the filter of a gate: it also opens the request's scope for a ledger that
	 * keeps per-request state ({@link io.github.sessiongate.ledger.RequestScopedLedger})
	 * when the request enters, before Spring Session's filter loads the session, and
	 * closes it when the request leaves. {@code SessionGate.storeFailureFilter()} makes
	 * it.
	 * @param rejectionHandler writes the {@code 503} answer
	 * @param core the gate's core
	 */
	public StoreFailureFilter(RejectionHandler rejectionHandler, SessionGateCore core) {
		this(rejectionHandler, core.limits().retryAfter(), core);
	}

	private StoreFailureFilter(RejectionHandler rejectionHandler, Duration retryAfter, @Nullable SessionGateCore core) {
		this.rejectionHandler = Objects.requireNonNull(rejectionHandler, "rejectionHandler cannot be null");
		this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
		this.core = core;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		RequestScopedLedger.Scope scope = (this.core != null) ? this.core.openRequestScope()
				: RequestScopedLedger.Scope.NONE;
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			if (!answer(request, response, ex)) {
				throw ex;
			}
		}
		finally {
			scope.close();
		}
	}

	/**
	 * Answers {@code 503} when a failure is a {@link StoreUnavailableException} and the
	 * response is not committed yet.
	 * @param request the request
	 * @param response the response
	 * @param failure what left the request
	 * @return {@code true} if the failure was answered here
	 * @throws IOException when writing the answer fails
	 */
	public boolean answer(ServletRequest request, ServletResponse response, Throwable failure) throws IOException {
		StoreUnavailableException unavailable = StoreUnavailableException.find(failure);
		if (unavailable == null || !(request instanceof HttpServletRequest httpRequest)
				|| !(response instanceof HttpServletResponse httpResponse)) {
			return false;
		}
		if (httpResponse.isCommitted()) {
			logger.debug("Session store unavailable after the response was committed", unavailable);
			return true;
		}
		httpResponse.resetBuffer();
		this.rejectionHandler.reject(httpRequest, httpResponse, Problem.storeUnavailable(this.retryAfter));
		return true;
	}

}
