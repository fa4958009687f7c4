package io.github.sessiongate.autoconfigure;

import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.sessiongate.SessionInfo;
import io.github.sessiongate.SessionInventory;
import io.github.sessiongate.store.StoreUnavailableException;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
 * the {@code DELETE}s as to any other state-changing request. While the ledger's store is
 * down every operation answers {@code 503} with an {@code application/problem+json} body
 * of type {@code urn:sessiongate:problem:store-unavailable}, never a {@code 500}.
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
			// counted and logged (once per burst, WARN) by the inventory
			.onError(StoreUnavailableException.class,
					(ex, request) -> ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
						.contentType(MediaType.APPLICATION_PROBLEM_JSON)
						.body(StoreUnavailableProblem.body()))
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
		int ended = (sessionId != null) ? this.inventory.endOtherSessions(user, sessionId) : endAll(user);
		return ServerResponse.ok().body(Map.of("ended", ended));
	}

	/**
	 * A caller without a session (HTTP Basic, a bearer token) has no session of its own:
	 * every session of the user is another one.
	 */
	private int endAll(String user) {
		int ended = 0;
		for (SessionInfo info : this.inventory.sessionsOf(user, null)) {
			if (this.inventory.endSession(user, info.reference())) {
				ended++;
			}
		}
		return ended;
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
