package io.github.sessiongate.samples.boot;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A limit asserted from an app's MockMvc test (docs/testing.md): the third request of a
 * session whose rate allows two is refused with a 429 problem.
 */
@SpringBootTest(properties = { "sessiongate.limits.rate.capacity=2", "sessiongate.limits.rate.refill-period=1h" })
@AutoConfigureMockMvc
class RateLimitMockMvcTests {

	@Autowired
	MockMvc mvc;

	@Test
	void thirdRequestOfTheSessionIsRefusedWithA429Problem() throws Exception {
		Cookie session = this.mvc.perform(get("/whoami")).andReturn().getResponse().getCookie("SESSION");
		this.mvc.perform(get("/whoami").cookie(session)).andExpect(status().isOk());

		this.mvc.perform(get("/whoami").cookie(session).accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.limit").value("rate"));
	}

}
