package io.github.sessiongate.store;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

import io.github.sessiongate.web.Problem;
import io.github.sessiongate.web.RejectionHandler;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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

	private final Runnable requestStarted;

	private final Runnable requestFinished;

	/**
	 * Creates the filter.
	 * @param rejectionHandler writes the {@code 503} answer
	 * @param retryAfter the {@code Retry-After} hint
	 */
	public StoreFailureFilter(RejectionHandler rejectionHandler, Duration retryAfter) {
		this(rejectionHandler, retryAfter, () -> {
		}, () -> {
		});
	}

	/**
	 * Creates the filter; {@code SessionGate.storeFailureFilter()} makes the one the gate
	 * needs.
	 * @param rejectionHandler writes the {@code 503} answer
	 * @param retryAfter the {@code Retry-After} hint
	 * @param requestStarted run on the request's thread when the request enters this
	 * filter (before Spring Session's)
	 * @param requestFinished run on the request's thread when the request leaves this
	 * filter (Spring Session has saved its session by then)
	 */
	public StoreFailureFilter(RejectionHandler rejectionHandler, Duration retryAfter, Runnable requestStarted,
			Runnable requestFinished) {
		this.rejectionHandler = Objects.requireNonNull(rejectionHandler, "rejectionHandler cannot be null");
		this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
		this.requestStarted = Objects.requireNonNull(requestStarted, "requestStarted cannot be null");
		this.requestFinished = Objects.requireNonNull(requestFinished, "requestFinished cannot be null");
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		this.requestStarted.run();
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			if (!answer(request, response, ex)) {
				throw ex;
			}
		}
		finally {
			this.requestFinished.run();
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
