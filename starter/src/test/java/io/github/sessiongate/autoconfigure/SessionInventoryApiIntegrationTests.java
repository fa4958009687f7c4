package io.github.sessiongate.autoconfigure;

import java.net.http.HttpResponse;

import io.github.sessiongate.SessionIds;
import io.github.sessiongate.SessionInventory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signed-in user's REST API to their own sessions
 * ({@code sessiongate.inventory.api-path}) on two Boot nodes sharing a real Redis, with
 * Spring Security form login and CSRF on, seen from real HTTP clients.
 *
 * @author SessionGate team
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionInventoryApiIntegrationTests {

	SessionControlNodes nodes;

	@BeforeAll
	void start() {
		this.nodes = new SessionControlNodes(false, null, "test.maximum-sessions=10",
				"sessiongate.inventory.api-path=/account/sessions", "sessiongate.inventory.client-ip=full");
	}

	@AfterAll
	void stop() {
		this.nodes.close();
	}

	@Test
	void inventoryBeanWhenStarterThenIsTheGatesInventory() {
		assertThat(this.nodes.node(0).getBean(SessionInventory.class)).isNotNull();
	}

	@Test
	void apiWhenOneUserOnThreeBrowsersThenListsEndsOneWithCsrfAndEndsOthersAcrossNodes() throws Exception {
		TestBrowser laptop = new TestBrowser();
		TestBrowser phone = new TestBrowser();
		TestBrowser tablet = new TestBrowser();
		TestBrowser bob = new TestBrowser();
		laptop.logIn(this.nodes.uri(0), "alice");
		phone.logIn(this.nodes.uri(1), "alice");
		tablet.logIn(this.nodes.uri(0), "alice");
		String bobReference = SessionIds.shortForm(bob.logIn(this.nodes.uri(1), "bob"));
		String phoneReference = SessionIds.shortForm(phone.sessionId());

		HttpResponse<String> listed = laptop.get(this.nodes.uri(1, "/account/sessions"));
		assertThat(listed.statusCode()).isEqualTo(200);
		assertThat(listed.body()).contains(phoneReference, SessionIds.shortForm(tablet.sessionId()),
				SessionIds.shortForm(laptop.sessionId()));
		assertThat(count(listed.body(), "\"reference\"")).isEqualTo(3);
		assertThat(count(listed.body(), "\"caller\":true")).isEqualTo(1);
		assertThat(listed.body()).contains("\"clientIp\":\"127.0.0.1\"").doesNotContain(bobReference);

		// CSRF as Spring Security requires it: no token, no change
		assertThat(laptop.delete(this.nodes.uri(0), "/account/sessions/" + phoneReference, false).statusCode())
			.isEqualTo(403);
		assertThat(phone.get(this.nodes.uri(1, "/context")).body()).contains("\"userId\":\"alice\"");
		// another user's reference, an unknown one and a malformed one are refused alike
		assertThat(laptop.delete(this.nodes.uri(0), "/account/sessions/" + bobReference, true).statusCode())
			.isEqualTo(404);
		assertThat(laptop.delete(this.nodes.uri(0), "/account/sessions/000000000000", true).statusCode())
			.isEqualTo(404);
		assertThat(laptop.delete(this.nodes.uri(0), "/account/sessions/%3Cx%3E", true).statusCode()).isEqualTo(404);

		assertThat(laptop.delete(this.nodes.uri(0), "/account/sessions/" + phoneReference, true).statusCode())
			.isEqualTo(204);
		assertSignedOut(phone, 1);
		HttpResponse<String> others = laptop.delete(this.nodes.uri(1), "/account/sessions/others", true);
		assertThat(others.statusCode()).isEqualTo(200);
		assertThat(others.body()).isEqualTo("{\"ended\":1}");
		assertSignedOut(tablet, 0);
		assertThat(laptop.get(this.nodes.uri(0, "/context")).body()).contains("\"userId\":\"alice\"");
		assertThat(bob.get(this.nodes.uri(0, "/context")).body()).contains("\"userId\":\"bob\"");
		assertThat(count(laptop.get(this.nodes.uri(0, "/account/sessions")).body(), "\"reference\"")).isEqualTo(1);
	}

	@Test
	void apiWhenNotSignedInThenRefused() throws Exception {
		HttpResponse<String> response = new TestBrowser().get(this.nodes.uri(0, "/account/sessions"));
		// Spring Security sends a browser to its login form before the API is reached
		assertThat(response.statusCode()).isEqualTo(302);
	}

	private void assertSignedOut(TestBrowser browser, int node) throws Exception {
		HttpResponse<String> context = browser.get(this.nodes.uri(node, "/context"));
		assertThat(context.statusCode()).isEqualTo(302);
		assertThat(context.headers().firstValue("Location"))
			.hasValueSatisfying((l) -> assertThat(l).endsWith("/login"));
	}

	private static int count(String text, String part) {
		int n = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
			n++;
		}
		return n;
	}

}
