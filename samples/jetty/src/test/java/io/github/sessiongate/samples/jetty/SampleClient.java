package io.github.sessiongate.samples.jetty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A browser-like HTTP client for the samples: one cookie jar, so one session.
 */
final class SampleClient {

	private final CookieManager cookies;

	private final HttpClient client;

	SampleClient() {
		this(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
	}

	private SampleClient(CookieManager cookies) {
		this.cookies = cookies;
		this.client = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
	}

	/**
	 * A second client sharing this one's cookies: the same browser on another node.
	 */
	SampleClient sameBrowser() {
		return new SampleClient(this.cookies);
	}

	HttpResponse<String> get(URI uri) {
		return send(HttpRequest.newBuilder(uri).GET());
	}

	HttpResponse<String> post(URI uri, String form) {
		return send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(request.timeout(Duration.ofSeconds(20)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
