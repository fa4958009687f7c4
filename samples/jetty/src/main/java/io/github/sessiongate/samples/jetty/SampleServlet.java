package io.github.sessiongate.samples.jetty;

import java.io.IOException;
import java.util.Objects;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionGate;
import io.github.sessiongate.SessionGateAdmin;
import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionStatus;
import io.github.sessiongate.ledger.BindResult;
import io.github.sessiongate.ledger.SessionStats;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The samples' application: who am I, log in (bind a user), log out (end the session)
 * and the sessions of a user. Session ids are shown only in their short form: a raw id is
 * a credential.
 */
final class SampleServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	private final transient SessionGate gate;

	SampleServlet(SessionGate gate) {
		this.gate = gate;
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		switch (request.getRequestURI()) {
			case "/whoami" -> whoami(response);
			case "/sessions" -> sessionsOfUser(request.getParameter("user"), response);
			case "/health" -> text(response, "UP");
			default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
		}
	}

	@Override
	protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
		switch (request.getRequestURI()) {
			case "/login" -> login(request, response);
			case "/logout" -> logout(response);
			default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
		}
	}

	private void whoami(HttpServletResponse response) throws IOException {
		// anywhere in the app, on the request thread:
		SessionContext ctx = SessionContextHolder.getContext();   // null outside a gated request
		if (ctx != null && ctx.hasSession()) {
			String user = Objects.requireNonNullElse(ctx.userId(), "anonymous");
			text(response, "session=" + SessionIds.shortForm(ctx.sessionId()) + " user=" + user + " ip=" + ctx.clientIp());
		}
		else {
			text(response, "no session");
		}
	}

	private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String user = request.getParameter("user");   // a real app checks a password first
		if (user == null || user.isBlank()) {
			response.sendError(HttpServletResponse.SC_BAD_REQUEST, "user is required");
			return;
		}
		BindResult.Outcome outcome = this.gate.bindUser(request, user);
		text(response, outcome.name());
	}

	private void logout(HttpServletResponse response) throws IOException {
		SessionContext ctx = SessionContextHolder.requireContext();
		// ends the session in the ledger and deletes it from the session repository
		this.gate.admin().endSession(ctx.sessionId(), SessionStatus.COMPLETED, "logout");
		text(response, "ended");
	}

	private void sessionsOfUser(String user, HttpServletResponse response) throws IOException {
		SessionGateAdmin admin = this.gate.admin();
		StringBuilder body = new StringBuilder();
		for (SessionStats stats : admin.sessionsOfUser(user)) {
			body.append(SessionIds.shortForm(stats.sessionId())).append(' ').append(stats.status()).append('\n');
		}
		text(response, body.toString());
	}

	private static void text(HttpServletResponse response, String body) throws IOException {
		response.setContentType("text/plain;charset=utf-8");
		response.getWriter().print(body);
	}

}
