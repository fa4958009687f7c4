package io.github.sessiongate.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A server-sent events client on a {@link TestClient} (so on its session): opens a
 * stream, reads its lines on a thread of its own and tells when the server ended it.
 */
public final class EventStreamClient implements AutoCloseable {

	private final HttpResponse<InputStream> response;

	private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

	private final CompletableFuture<Boolean> ended = new CompletableFuture<>();

	private final Thread reader;

	private EventStreamClient(HttpResponse<InputStream> response) {
		this.response = response;
		this.reader = new Thread(this::read, "event-stream-reader");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Opens a stream ({@code Accept: text/event-stream}) and waits for its headers.
	 * @param client the client (its cookies)
	 * @param uri the stream's address
	 * @return the open stream (or a refusal: see {@link #statusCode()})
	 */
	public static EventStreamClient open(TestClient client, URI uri) {
		HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
		try {
			return new EventStreamClient(client.httpClient().send(request, HttpResponse.BodyHandlers.ofInputStream()));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public int statusCode() {
		return this.response.statusCode();
	}

	/**
	 * Waits until the stream has sent a line containing the text.
	 * @param text the text
	 */
	public void awaitLine(String text) {
		Await.until("a line with '" + text + "'", () -> this.lines.stream().anyMatch((line) -> line.contains(text)));
	}

	/**
	 * Whether the server ended the stream normally (end of body, no error).
	 * @return {@code true} once ended normally
	 */
	public boolean endedNormally() {
		return this.ended.isDone() && this.ended.join();
	}

	public boolean isOpen() {
		return !this.ended.isDone();
	}

	/**
	 * Waits until the server ended the stream, failing after the bound.
	 * @param bound the most to wait
	 * @return how long it took
	 */
	public Duration awaitEnd(Duration bound) {
		long start = System.nanoTime();
		Await.until("the server to end the stream", bound, this.ended::isDone);
		return Duration.ofNanos(System.nanoTime() - start);
	}

	public String body() {
		return String.join("\n", this.lines);
	}

	private void read() {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				this.lines.add(line);
			}
			this.ended.complete(true);
		}
		catch (IOException ex) {
			this.ended.complete(false);
		}
	}

	@Override
	public void close() {
		try {
			this.response.body().close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

}
