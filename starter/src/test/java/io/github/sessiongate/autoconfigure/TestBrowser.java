package io.github.sessiongate.autoconfigure;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser for the starter's real-server tests: keeps its cookies (shared by every port
 * of {@code localhost}, so by every node), sends a browser's {@code Accept}, and logs in
 * through Spring Security's form with the CSRF token of its login page.
 *
 * @author SessionGate team
 */
final class TestBrowser {

	private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private final CookieManager cookies = new CookieManager();

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(this.cookies)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	/**
	 * The users of the test apps: {@code alice} and {@code bob} (password {@code pw},
	 * role {@code USER}) and the operator {@code ops} (password {@code ops}, role
	 * {@code OPS}).
	 * @return the user details service
	 */
	static InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(
				List.of(User.withUsername("alice").password("{noop}pw").roles("USER").build(),
						User.withUsername("bob").password("{noop}pw").roles("USER").build(),
						User.withUsername("ops").password("{noop}ops").roles("OPS").build()));
	}

	/**
	 * Posts the login form.
	 * @param base the server, e.g. {@code http://localhost:8080}
	 * @param user the user (password {@code pw})
	 * @return the response (a redirect)
	 */
	HttpResponse<String> submitLogin(URI base, String user) throws Exception {
		String csrf = csrfToken(base);
		return send(HttpRequest.newBuilder(base.resolve("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=pw&_csrf=" + csrf)));
	}

	/**
	 * Logs in and, like a browser, follows the redirect to {@code /context}, which shows
	 * the user the gate sees.
	 * @param base the server
	 * @param user the user
	 * @return the session id after the login
	 */
	String logIn(URI base, String user) throws Exception {
		HttpResponse<String> login = submitLogin(base, user);
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/context"));
		assertThat(get(base.resolve("/context")).body()).contains("\"userId\":\"" + user + "\"");
		return sessionId();
	}

	HttpResponse<String> logOut(URI base) throws Exception {
		String csrf = csrfToken(base);
		return send(HttpRequest.newBuilder(base.resolve("/logout"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf)));
	}

	/**
	 * Sends a {@code DELETE} with the CSRF token of the login page, as a browser's script
	 * would send it in the {@code X-CSRF-TOKEN} header.
	 * @param base the server
	 * @param path the path
	 * @param withCsrf whether to send the token
	 * @return the response
	 */
	HttpResponse<String> delete(URI base, String path, boolean withCsrf) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).DELETE();
		if (withCsrf) {
			request.header("X-CSRF-TOKEN", csrfToken(base));
		}
		return send(request);
	}

	private String csrfToken(URI base) throws Exception {
		HttpResponse<String> page = get(base.resolve("/login"));
		Matcher csrf = CSRF_FIELD.matcher(page.body());
		assertThat(csrf.find()).as("CSRF field in the login page").isTrue();
		return csrf.group(1);
	}

	/**
	 * The session id this browser holds.
	 * @return the decoded {@code SESSION} cookie
	 */
	String sessionId() {
		return new String(Base64.getDecoder().decode(cookie("SESSION")), StandardCharsets.UTF_8);
	}

	String cookie(String name) {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " cookie"));
	}

	HttpResponse<String> get(URI uri) throws Exception {
		return send(HttpRequest.newBuilder(uri));
	}

	HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		// a browser's Accept: Spring Security answers it with redirects (login, logout),
		// not with HTTP Basic's 401 or a bare 204
		return this.http.send(request.header("Accept", "text/html,application/json;q=0.9").build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
