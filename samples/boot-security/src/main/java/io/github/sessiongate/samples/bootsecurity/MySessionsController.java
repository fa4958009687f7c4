package io.github.sessiongate.samples.bootsecurity;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import io.github.sessiongate.SessionInfo;
import io.github.sessiongate.SessionInventory;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Where you're signed in": the signed-in user's own sessions, one ended by reference, or
 * all but this one. The user always comes from the authenticated principal.
 */
@RestController
class MySessionsController {

	private final SessionInventory inventory;

	MySessionsController(SessionInventory inventory) {
		this.inventory = inventory;
	}

	@GetMapping("/my/sessions")
	List<SessionInfo> sessions(Principal principal, HttpSession session) {
		return this.inventory.sessionsOf(principal.getName(), session.getId());
	}

	@DeleteMapping("/my/sessions/{reference}")
	ResponseEntity<Void> end(Principal principal, @PathVariable String reference) {
		return this.inventory.endSession(principal.getName(), reference) ? ResponseEntity.noContent().build()
				: ResponseEntity.notFound().build();
	}

	@PostMapping("/my/sessions/sign-out-others")
	Map<String, Integer> signOutOthers(Principal principal, HttpSession session) {
		return Map.of("ended", this.inventory.endOtherSessions(principal.getName(), session.getId()));
	}

}
