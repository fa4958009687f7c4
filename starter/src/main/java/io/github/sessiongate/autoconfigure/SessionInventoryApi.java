package io.github.sessiongate.autoconfigure;

import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.sessiongate.SessionInventory;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The signed-in user's REST API to their own sessions, mounted at
 * {@code sessiongate.inventory.api-path}: {@code GET {path}} lists them, {@code DELETE
 * {path}/others} ends all but the caller's, {@code DELETE {path}/{reference}} ends one
 * ({@code 204}, or {@code 404} for a reference that is not one of the user's live
 * sessions). The user is the request's authenticated principal, never a parameter;
 * without one the API answers {@code 401}. Spring Security's CSRF protection applies to
 * the {@code DELETE}s as to any other state-changing request.
 *
 * @author SessionGate team
 */
final class SessionInventoryApi {

	private final SessionInventory inventory;

	private SessionInventoryApi(SessionInventory inventory) {
		this.inventory = Objects.requireNonNull(inventory, "inventory cannot be null");
	}

	static RouterFunction<ServerResponse> routes(String path, SessionInventory inventory) {
		SessionInventoryApi api = new SessionInventoryApi(inventory);
		String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		return RouterFunctions.route()
			.GET(base, api::list)
			.DELETE(base + "/others", api::endOthers)
			.DELETE(base + "/{reference}", api::endOne)
			.build();
	}

	private ServerResponse list(ServerRequest request) {
		String user = user(request);
		if (user == null) {
			return unauthorized();
		}
		return ServerResponse.ok().body(Map.of("sessions", this.inventory.sessionsOf(user, sessionId(request))));
	}

	private ServerResponse endOne(ServerRequest request) {
		String user = user(request);
		if (user == null) {
			return unauthorized();
		}
		return this.inventory.endSession(user, request.pathVariable("reference")) ? ServerResponse.noContent().build()
				: ServerResponse.notFound().build();
	}

	private ServerResponse endOthers(ServerRequest request) {
		String user = user(request);
		if (user == null) {
			return unauthorized();
		}
		String sessionId = sessionId(request);
		int ended = (sessionId != null) ? this.inventory.endOtherSessions(user, sessionId) : 0;
		return ServerResponse.ok().body(Map.of("ended", ended));
	}

	private static @Nullable String user(ServerRequest request) {
		Optional<Principal> principal = request.principal();
		return principal.map(Principal::getName).filter((name) -> !name.isEmpty()).orElse(null);
	}

	private static @Nullable String sessionId(ServerRequest request) {
		HttpSession session = request.servletRequest().getSession(false);
		return (session != null) ? session.getId() : null;
	}

	private static ServerResponse unauthorized() {
		return ServerResponse.status(HttpStatus.UNAUTHORIZED).build();
	}

}
