package io.github.sessiongate.samples.bootsecurity;

import java.util.Map;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionIds;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The logged-in user's view: who they are for the gate, and the CSRF token a script sends
 * (header {@code X-CSRF-TOKEN}) with a {@code POST}, e.g. to the Actuator endpoint.
 */
@RestController
class AccountController {

	@GetMapping("/me")
	Map<String, Object> me() {
		SessionContext context = SessionContextHolder.requireContext();
		// behind Spring Security a request reaching here is authenticated: userId is set
		return Map.of("session", SessionIds.shortForm(context.sessionId()), "user", context.userId());
	}

	@GetMapping("/csrf")
	Map<String, String> csrf(CsrfToken token) {
		return Map.of("header", token.getHeaderName(), "token", token.getToken());
	}

}
