package io.github.sessiongate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A real HTTP client with its own cookie jar: one {@code TestClient} is one browser, so
 * its requests share one session. Thread safe: many threads may drive one client (one
 * session).
 */
public final class TestClient {

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient client;

	public TestClient() {
		this.client = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.connectTimeout(Duration.ofSeconds(5))
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	/**
	 * Sends a GET.
	 * @param uri the target
	 * @param headers extra headers, name to value
	 * @return the response
	 */
	public HttpResponse<String> get(URI uri, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
		headers.forEach(request::header);
		return send(request.build());
	}

	public HttpResponse<String> get(URI uri) {
		return get(uri, Map.of());
	}

	/**
	 * Sends a form POST ({@code application/x-www-form-urlencoded}).
	 * @param uri the target
	 * @param form the encoded form, e.g. {@code user=alice}
	 * @return the response
	 */
	public HttpResponse<String> post(URI uri, String form) {
		return send(HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
	}

	/**
	 * Sends a request.
	 * @param request the request
	 * @return the response
	 */
	public HttpResponse<String> send(HttpRequest request) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The session cookie value this client holds, if any.
	 * @return the {@code SESSION} cookie value or {@code null}
	 */
	public String sessionCookie() {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("SESSION"))
			.map(java.net.HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	/**
	 * The session id this client holds (the decoded {@code SESSION} cookie), if any.
	 * @return the session id or {@code null}
	 */
	public String sessionId() {
		String cookie = sessionCookie();
		return (cookie != null)
				? new String(java.util.Base64.getDecoder().decode(cookie), java.nio.charset.StandardCharsets.UTF_8)
				: null;
	}

	/**
	 * Sets the {@code SESSION} cookie to a raw value (for tests of forged or malformed
	 * ids).
	 * @param uri the server
	 * @param value the raw cookie value
	 */
	public void setSessionCookie(URI uri, String value) {
		java.net.HttpCookie cookie = new java.net.HttpCookie("SESSION", value);
		cookie.setPath("/");
		cookie.setVersion(0);
		this.cookies.getCookieStore().add(uri, cookie);
	}

	/**
	 * The raw client, for requests that need full control.
	 * @return the client
	 */
	public HttpClient httpClient() {
		return this.client;
	}

	public CookieManager cookies() {
		return this.cookies;
	}

}
