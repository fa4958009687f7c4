package io.github.sessiongate.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionIds;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo endpoints the gate watches: a slow one to hold a permit, a failing one to
 * count errors, and one that shows the request's {@link SessionContext}.
 *
 * @author SessionGate team
 */
@RestController
class DemoController {

	/**
	 * The longest {@code /api/slow} waits, so a demo request cannot hold a thread long.
	 */
	static final long MAX_SLOW_MILLIS = 10_000;

	@GetMapping("/api/slow")
	Map<String, Object> slow(@RequestParam(defaultValue = "500") long ms) throws InterruptedException {
		long millis = Math.max(0, Math.min(ms, MAX_SLOW_MILLIS));
		Thread.sleep(millis);
		return Map.of("sleptMillis", millis);
	}

	@GetMapping("/api/fail")
	Map<String, Object> fail() {
		throw new DemoFailureException("this endpoint always fails, so that the gate counts an error");
	}

	@GetMapping("/api/context")
	Map<String, Object> context() {
		SessionContext context = SessionContextHolder.getContext();
		Map<String, Object> body = new LinkedHashMap<>();
		if (context == null) {
			body.put("context", null);
			return body;
		}
		// the raw id is a credential: show its short form only
		body.put("session", SessionIds.shortForm(context.sessionId()));
		body.put("userId", context.userId());
		body.put("tenant", context.tenant());
		body.put("deviceId", context.deviceId());
		body.put("clientIp", context.clientIp());
		body.put("userAgent", context.userAgent());
		body.put("creationTime", context.creationTime().toString());
		body.put("metadata", context.metadata());
		return body;
	}

	/**
	 * Thrown by {@code /api/fail}.
	 */
	static class DemoFailureException extends RuntimeException {

		DemoFailureException(String message) {
			super(message);
		}

	}

}
