package io.github.sessiongate.stack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionContext;
import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionIds;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's smallest Boot app with the starter, on whatever server and threads the
 * classpath and properties give it (here: Jetty, no Tomcat). {@code /start} creates the
 * session; {@code /hold} answers with the request's {@link SessionContext} and thread
 * once the test opens the {@link Release}, so that a request is provably in flight while
 * others arrive.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(StackTestApplication.Endpoints.class)
class StackTestApplication {

	@Bean
	Release release() {
		return new Release(new CountDownLatch(1));
	}

	@Bean
	SecurityFilterChain openChain(HttpSecurity http) throws Exception {
		// Spring Security is on the demo's classpath; this app needs no login
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	/**
	 * Lets held requests finish once the test opens it.
	 *
	 * @param latch counted down to open
	 */
	record Release(CountDownLatch latch) {

		void open() {
			this.latch.countDown();
		}

	}

	@RestController
	static class Endpoints {

		private final Release release;

		Endpoints(Release release) {
			this.release = release;
		}

		@GetMapping("/start")
		Map<String, Object> start(HttpServletRequest request) {
			request.getSession();
			return Map.of("started", true);
		}

		@GetMapping("/hold")
		Map<String, Object> hold() throws InterruptedException {
			boolean released = this.release.latch().await(30, TimeUnit.SECONDS);
			SessionContext context = SessionContextHolder.getContext();
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("released", released);
			body.put("session", (context != null) ? SessionIds.shortForm(context.sessionId()) : null);
			body.put("virtual", isVirtual(Thread.currentThread()));
			body.put("java", Runtime.version().feature());
			return body;
		}

		/** {@code Thread.isVirtual()} is Java 21; the code is compiled for 17. */
		private static boolean isVirtual(Thread thread) {
			try {
				return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
			}
			catch (NoSuchMethodException ex) {
				return false;
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
