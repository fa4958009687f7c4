package io.github.sessiongate.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.testsupport.JettyTestServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.slf4j.MDC;

/**
 * The application the filter tests run behind a real Jetty: endpoints that show the
 * context, hold requests, fail, go async, and probes that record what the application
 * saw.
 */
final class TestApp {

	final AtomicInteger inside = new AtomicInteger();

	final AtomicInteger maxInside = new AtomicInteger();

	final AtomicInteger calls = new AtomicInteger();

	final ConcurrentLinkedQueue<SessionContext> seenContexts = new ConcurrentLinkedQueue<>();

	final ConcurrentLinkedQueue<String> seenMdcSessions = new ConcurrentLinkedQueue<>();

	final ConcurrentLinkedQueue<String> seenAfterRequest = new ConcurrentLinkedQueue<>();

	volatile CountDownLatch gate = new CountDownLatch(0);

	/** The gate the {@code /login} endpoint binds users with. */
	volatile io.github.sessiongate.SessionGate sessionGate;

	final CountDownLatch streamFailed = new CountDownLatch(1);

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

	/**
	 * Starts Jetty with the filter and this app; records the holder's content after each
	 * request returns through the filter (it must be empty).
	 */
	JettyTestServer start(Filter filter) {
		Filter probing = (request, response, chain) -> {
			try {
				filter.doFilter(request, response, chain);
			}
			finally {
				SessionContext leftover = SessionContextHolder.getContext();
				if (leftover != null) {
					this.seenAfterRequest.add(leftover.toString());
				}
			}
		};
		return JettyTestServer.start(probing, this::register);
	}

	private void register(ServletContextHandler context) {
		JettyTestServer.servlet(context, "/context", servlet((request, response) -> {
			record(request);
			SessionContext ctx = SessionContextHolder.getContext();
			response.setContentType("text/plain");
			response.getWriter()
				.print((ctx != null) ? "session=" + ctx.sessionId() + "\nclientIp=" + ctx.clientIp() + "\ntenant="
						+ ctx.tenant() + "\ndevice=" + ctx.deviceId() + "\nuser=" + ctx.userId() : "no-context");
		}));
		JettyTestServer.servlet(context, "/health", servlet((request, response) -> {
			record(request);
			response.getWriter().print("UP");
		}));
		JettyTestServer.servlet(context, "/slow", servlet((request, response) -> {
			record(request);
			int now = this.inside.incrementAndGet();
			this.maxInside.accumulateAndGet(now, Math::max);
			try {
				String ms = request.getParameter("ms");
				if (ms != null) {
					Thread.sleep(Long.parseLong(ms));
				}
				this.gate.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.inside.decrementAndGet();
			}
			response.getWriter().print("done");
		}));
		JettyTestServer.servlet(context, "/fail", servlet((request, response) -> {
			record(request);
			throw new IllegalStateException("boom");
		}));
		JettyTestServer.servlet(context, "/status", servlet((request, response) -> {
			record(request);
			response.setStatus(Integer.parseInt(request.getParameter("code")));
		}));
		JettyTestServer.servlet(context, "/create-session", servlet((request, response) -> {
			record(request);
			request.getSession(true).setAttribute("x", "y");
			response.getWriter().print("created");
		}));
		JettyTestServer.servlet(context, "/login", servlet((request, response) -> {
			record(request);
			io.github.sessiongate.ledger.BindResult.Outcome outcome = this.sessionGate.bindUser(request,
					request.getParameter("user"));
			if (outcome == io.github.sessiongate.ledger.BindResult.Outcome.REJECTED) {
				this.sessionGate.rejectionHandler()
					.reject(request, response,
							Problem.of(io.github.sessiongate.limit.Limit.SESSIONS_PER_USER, java.time.Duration.ZERO));
				return;
			}
			response.getWriter().print(outcome + " " + SessionContextHolder.getContext().sessionId());
		}));
		JettyTestServer.servlet(context, "/async", servlet((request, response) -> {
			record(request);
			AsyncContext async = request.startAsync();
			String ms = request.getParameter("ms");
			CountDownLatch latch = this.gate;
			Runnable finish = () -> {
				try {
					if (ms == null) {
						// held until the test opens the gate
						latch.await(10, TimeUnit.SECONDS);
					}
					async.getResponse().getWriter().print("async-done");
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				async.complete();
			};
			if (ms == null) {
				this.scheduler.execute(finish);
			}
			else {
				this.scheduler.schedule(finish, Long.parseLong(ms), TimeUnit.MILLISECONDS);
			}
		}));
		JettyTestServer.servlet(context, "/async-timeout", servlet((request, response) -> {
			record(request);
			AsyncContext async = request.startAsync();
			async.setTimeout(100);
		}));
		JettyTestServer.servlet(context, "/async-fail", servlet((request, response) -> {
			record(request);
			request.startAsync();
			throw new IllegalStateException("failed after starting async");
		}));
		JettyTestServer.servlet(context, "/async-dispatch", servlet((request, response) -> {
			record(request);
			AsyncContext async = request.startAsync();
			this.scheduler.schedule(() -> async.dispatch("/context"), 20, TimeUnit.MILLISECONDS);
		}));
		JettyTestServer.servlet(context, "/stream", servlet((request, response) -> {
			record(request);
			byte[] chunk = new byte[64 * 1024];
			OutputStream out = response.getOutputStream();
			try {
				for (int i = 0; i < 2000; i++) {
					out.write(chunk);
					out.flush();
					Thread.sleep(5);
				}
			}
			catch (IOException ex) {
				this.streamFailed.countDown();
				throw ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
	}

	private void record(HttpServletRequest request) {
		this.calls.incrementAndGet();
		SessionContext context = SessionContextHolder.getContext();
		if (context != null) {
			this.seenContexts.add(context);
			Object attribute = request.getAttribute(SessionContextHolder.REQUEST_ATTRIBUTE);
			if (attribute != context) {
				throw new IllegalStateException("request attribute differs from the holder's context");
			}
		}
		String mdc = MDC.get(SessionContextHolder.MDC_SESSION);
		if (mdc != null) {
			this.seenMdcSessions.add(mdc);
		}
	}

	void close() {
		this.scheduler.shutdownNow();
	}

	private static HttpServlet servlet(Handler handler) {
		return new HttpServlet() {
			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
				handler.handle(request, response);
			}
		};
	}

	@FunctionalInterface
	interface Handler {

		void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;

	}

}
