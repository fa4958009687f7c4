package io.github.sessiongate.samples.boot;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests that send many requests turn the limits off and keep the gate, so the session
 * context is still there (docs/testing.md). The app allows 20 requests a second per
 * session; this class sends more.
 */
@SpringBootTest(properties = { "sessiongate.limits.rate.capacity=0",
		"sessiongate.limits.max-concurrent-requests-per-session=0", "sessiongate.limits.max-active-requests=0",
		"sessiongate.limits.max-sessions-per-user=0" })
@AutoConfigureMockMvc
class NoLimitsMockMvcTests {

	@Autowired
	MockMvc mvc;

	@Test
	void manyRequestsOfOneSessionAreAllServedWithTheContext() throws Exception {
		Cookie session = this.mvc.perform(get("/whoami")).andReturn().getResponse().getCookie("SESSION");

		for (int i = 0; i < 40; i++) {
			this.mvc.perform(get("/whoami").cookie(session))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.user").value("anonymous"));
		}
	}

}
