package io.github.sessiongate.samples.bootsecurity;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
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
 * One browser: a cookie jar and no automatic redirects.
 */
final class Browser {

	private static final Pattern FORM_CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private final int port;

	private final HttpClient client = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	Browser(int port) {
		this.port = port;
	}

	static String match(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
		return matcher.group(1);
	}

	HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
		String csrf = match(FORM_CSRF, get("/login").body());
		String form = "username=" + user + "&password=" + password + "&_csrf="
				+ URLEncoder.encode(csrf, StandardCharsets.UTF_8);
		return send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
		return send(request(path).header("Accept", accept).GET());
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(request(path).GET());
	}

	HttpResponse<String> post(String path, String json, String csrfToken) throws IOException, InterruptedException {
		HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (csrfToken != null) {
			request.header("X-CSRF-TOKEN", csrfToken);
		}
		return send(request);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
