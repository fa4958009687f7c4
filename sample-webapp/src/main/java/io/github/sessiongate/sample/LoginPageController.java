package io.github.sessiongate.sample;

import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The demo's login page: names the demo users and says why the visitor is here (wrong
 * password, logged out, or a session that was ended: by the admin, by the per-user
 * session limit, or by expiry).
 *
 * @author SessionGate team
 */
@RestController
class LoginPageController {

	@GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
	String login(CsrfToken csrf, @RequestParam(required = false) String error,
			@RequestParam(required = false) String logout, @RequestParam(required = false) String ended) {
		String message = "";
		if (error != null) {
			message = "<p class=\"message error\">Wrong user name or password.</p>";
		}
		else if (ended != null) {
			message = "<p class=\"message ended\" id=\"ended\">Your session was ended: an administrator ended it, "
					+ "a newer login of the same user replaced it (at most 3 sessions per user), or it expired. "
					+ "Please log in again.</p>";
		}
		else if (logout != null) {
			message = "<p class=\"message\">You have logged out.</p>";
		}
		return """
				<!DOCTYPE html>
				<html lang="en">
				<head>
				<meta charset="utf-8">
				<title>SessionGate demo: log in</title>
				<link rel="icon" href="data:,">
				<link rel="stylesheet" href="/css/dashboard.css">
				</head>
				<body>
				<header><h1>SessionGate demo</h1></header>
				<main class="login">
				<section class="panel">
				<h2>Log in</h2>
				%s
				<form method="post" action="/login">
				<p><label>User <input name="username" autocomplete="username" required autofocus></label></p>
				<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
				<input name="%s" type="hidden" value="%s">
				<p><button type="submit">Log in</button></p>
				</form>
				<p>Demo users (user name = password): <strong>alice</strong> and <strong>bob</strong> see their own
				sessions; <strong>admin</strong> sees everyone's and may end them.</p>
				</section>
				</main>
				</body>
				</html>
				"""
			.formatted(message, HtmlUtils.htmlEscape(csrf.getParameterName()), HtmlUtils.htmlEscape(csrf.getToken()));
	}

}
