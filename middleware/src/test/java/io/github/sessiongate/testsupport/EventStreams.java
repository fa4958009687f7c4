package io.github.sessiongate.testsupport;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Server-sent event streams the way a plain servlet writes them: {@link #open} starts an
 * async cycle and sends {@code data: open}; every stream then gets a comment line every
 * 100 ms (so a client that went away is noticed) until it ends. Close it to stop the
 * heartbeat.
 *
 * @author SessionGate team
 */
public final class EventStreams implements AutoCloseable {

	private final Set<AsyncContext> open = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();

	public EventStreams() {
		this.heartbeat.scheduleWithFixedDelay(this::beat, 100, 100, TimeUnit.MILLISECONDS);
	}

	/**
	 * Opens a stream: a servlet's body.
	 * @param request the request
	 * @param response the response
	 * @throws IOException when the first event cannot be sent
	 */
	public void open(HttpServletRequest request, HttpServletResponse response) throws IOException {
		AsyncContext async = request.startAsync();
		async.setTimeout(0);
		response.setContentType("text/event-stream");
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write("data: open\n\n");
		response.flushBuffer();
		this.open.add(async);
	}

	/** Ends every open stream from the application's side. */
	public void completeAll() {
		for (AsyncContext async : this.open) {
			this.open.remove(async);
			async.complete();
		}
	}

	private void beat() {
		for (AsyncContext async : this.open) {
			try {
				PrintWriter writer = async.getResponse().getWriter();
				writer.write(": beat\n\n");
				writer.flush();
				if (writer.checkError()) {
					this.open.remove(async);
					async.complete();
				}
			}
			catch (IOException | RuntimeException ex) {
				// completed by the gate (or the client went away)
				this.open.remove(async);
			}
		}
	}

	@Override
	public void close() {
		this.heartbeat.shutdownNow();
	}

}
