package io.github.sessiongate.samples.boot;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionIds;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows the request's {@link SessionContext}: the session's short reference (never the
 * raw id, which is a credential), the user and the client IP — on the request thread, in
 * a Spring MVC {@link Callable} and in an {@code @Async} method.
 */
@RestController
class WhoAmIController {

	private final BackgroundWork backgroundWork;

	WhoAmIController(BackgroundWork backgroundWork) {
		this.backgroundWork = backgroundWork;
	}

	@GetMapping("/whoami")
	Map<String, Object> whoami() {
		SessionContext context = SessionContextHolder.requireContext();
		return Map.of("session", SessionIds.shortForm(context.sessionId()),
				"user", Objects.requireNonNullElse(context.userId(), "anonymous"),
				"ip", context.clientIp());
	}

	/**
	 * The same answer, computed on Spring MVC's task executor.
	 */
	@GetMapping("/whoami/later")
	Callable<Map<String, Object>> later() {
		return this::whoami;
	}

	/**
	 * The session reference an {@code @Async} method sees.
	 */
	@GetMapping("/whoami/background")
	CompletableFuture<Map<String, Object>> background() {
		return this.backgroundWork.sessionReference().thenApply((reference) -> Map.of("session", reference));
	}

}
