package io.github.sessiongate.sample;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser-like HTTP client for one user: its own cookie jar (so its own session), form
 * login with the CSRF token, JSON calls.
 */
final class DemoUser {

	private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

	private static final Pattern CSRF_JSON = Pattern.compile("\"(headerName|token)\":\"([^\"]+)\"");

	private final String baseUrl;

	private final HttpClient client;

	private DemoUser(String baseUrl) {
		this(baseUrl,
				HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.cookieHandler(new CookieManager())
					.followRedirects(HttpClient.Redirect.NEVER)
					.connectTimeout(Duration.ofSeconds(5))
					.build());
	}

	private DemoUser(String baseUrl, HttpClient client) {
		this.baseUrl = baseUrl;
		this.client = client;
	}

	/**
	 * The same browser (cookies) talking to another instance of the demo.
	 * @param port the other instance's port
	 * @return the user on that instance
	 */
	DemoUser at(int port) {
		return new DemoUser("http://localhost:" + port, this.client);
	}

	static DemoUser anonymous(int port) {
		return new DemoUser("http://localhost:" + port);
	}

	static DemoUser login(int port, String username, String password) throws Exception {
		DemoUser user = anonymous(port);
		HttpResponse<String> page = user.get("/login");
		Matcher csrf = CSRF_INPUT.matcher(page.body());
		assertThat(csrf.find()).as("CSRF field on the login page").isTrue();
		String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf="
				+ encode(csrf.group(1));
		HttpResponse<String> login = user.client.send(HttpRequest.newBuilder(user.uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location"))
			.hasValueSatisfying((l) -> assertThat(l).doesNotContain("error"));
		return user;
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Opens a server-sent events stream and returns once its headers arrived.
	 * @param path the stream's path
	 * @return the response, its body still streaming
	 */
	HttpResponse<java.io.InputStream> openEventStream(String path) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofInputStream());
	}

	HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
		HttpResponse<String> csrf = get("/api/csrf");
		Matcher matcher = CSRF_JSON.matcher(csrf.body());
		String headerName = null;
		String token = null;
		while (matcher.find()) {
			if (matcher.group(1).equals("headerName")) {
				headerName = matcher.group(2);
			}
			else {
				token = matcher.group(2);
			}
		}
		assertThat(headerName).isNotNull();
		assertThat(token).isNotNull();
		return this.client.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.header(headerName, token)
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create(this.baseUrl + path);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
