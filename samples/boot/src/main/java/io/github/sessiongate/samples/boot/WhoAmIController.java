package io.github.sessiongate.samples.boot;

import java.util.Map;
import java.util.Objects;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionIds;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows the request's {@link SessionContext}: the session's short reference (never the
 * raw id, which is a credential), the user and the client IP.
 */
@RestController
class WhoAmIController {

	@GetMapping("/whoami")
	Map<String, Object> whoami() {
		SessionContext context = SessionContextHolder.requireContext();
		return Map.of("session", SessionIds.shortForm(context.sessionId()),
				"user", Objects.requireNonNullElse(context.userId(), "anonymous"),
				"ip", context.clientIp());
	}

}
