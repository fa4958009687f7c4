package io.github.sessiongate.samples.boot;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionIds;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The app's own MockMvc tests with the starter (docs/testing.md): the session travels as
 * Spring Session's {@code SESSION} cookie, async controllers need {@code asyncDispatch},
 * and the context can be read from the request a test sent.
 */
@SpringBootTest
@AutoConfigureMockMvc
class WhoAmIMockMvcTests {

	@Autowired
	MockMvc mvc;

	@AfterEach
	void clearContext() {
		SessionContextHolder.clearContext();
	}

	@Test
	void sessionCookieCarriesTheSessionToTheNextRequest() throws Exception {
		MvcResult first = this.mvc.perform(get("/whoami")).andExpect(status().isOk()).andReturn();
		Cookie session = first.getResponse().getCookie("SESSION");
		String reference = SessionIds.shortForm(contextOf(first).sessionId());

		this.mvc.perform(get("/whoami").cookie(session))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.session").value(reference));
	}

	@Test
	void contextIsReadFromTheRequestTheTestSent() throws Exception {
		MvcResult result = this.mvc.perform(get("/whoami")).andExpect(status().isOk()).andReturn();

		SessionContext context = (SessionContext) result.getRequest()
			.getAttribute(SessionContextHolder.REQUEST_ATTRIBUTE);
		assertThat(context.hasSession()).isTrue();
		assertThat(context.userId()).isNull();
		assertThat(context.clientIp()).isEqualTo("127.0.0.1");
	}

	@Test
	void asyncControllerAnswersInTheAsyncDispatch() throws Exception {
		MvcResult first = this.mvc.perform(get("/whoami")).andReturn();
		Cookie session = first.getResponse().getCookie("SESSION");
		String reference = SessionIds.shortForm(contextOf(first).sessionId());

		MvcResult started = this.mvc.perform(get("/whoami/later").cookie(session))
			.andExpect(request().asyncStarted())
			.andReturn();
		this.mvc.perform(asyncDispatch(started))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.session").value(reference));
	}

	@Test
	void asyncMethodSeesTheSessionOfTheRequestThatCalledIt() throws Exception {
		MvcResult first = this.mvc.perform(get("/whoami")).andReturn();
		Cookie session = first.getResponse().getCookie("SESSION");
		String reference = SessionIds.shortForm(contextOf(first).sessionId());

		MvcResult started = this.mvc.perform(get("/whoami/background").cookie(session))
			.andExpect(request().asyncStarted())
			.andReturn();
		this.mvc.perform(asyncDispatch(started)).andExpect(jsonPath("$.session").value(reference));
	}

	@Test
	void codeThatReadsTheHolderIsTestedWithAContextSetByTheTest() {
		SessionContext context = new SessionContext("test-session-0001", "alice", null, null, "127.0.0.1", null,
				java.time.Instant.now(), java.util.Map.of());
		SessionContextHolder.setContext(context);

		assertThat(SessionContextHolder.requireContext().userId()).isEqualTo("alice");
	}

	private static SessionContext contextOf(MvcResult result) {
		return (SessionContext) result.getRequest().getAttribute(SessionContextHolder.REQUEST_ATTRIBUTE);
	}

}
