package io.github.sessiongate.autoconfigure;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.sessiongate.redis.RedisSessionLedger;
import io.github.sessiongate.redis.SessionGateRedisSessionRepository;
import io.github.sessiongate.store.GuardedSessionRepository;
import io.github.sessiongate.testsupport.RedisTestServer;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Session's customisation reaches SessionGate's own Redis repository
 * ({@code sessiongate.redis.session-repository=sessiongate}): a real Boot app on Tomcat
 * and a real Redis, with the app's {@code springSessionDefaultRedisSerializer} (JSON),
 * its {@link SessionIdGenerator} and a {@link SessionRepositoryCustomizer}; the stored
 * bytes and the session ids are read from the client's side and from Redis.
 *
 * @author SessionGate team
 */
@SpringBootTest(classes = SessionGateRedisCustomizationIntegrationTests.CustomizedApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sessiongate.redis.session-repository=sessiongate", "sessiongate.store=redis" })
class SessionGateRedisCustomizationIntegrationTests {

	private static final String PREFIX = "customized-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RedisTestServer redis = RedisTestServer.shared();
		registry.add("spring.data.redis.host", redis::host);
		registry.add("spring.data.redis.port", redis::port);
		registry.add("sessiongate.redis.key-prefix", () -> PREFIX);
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("sessionRepository")
	SessionRepository<?> sessionRepository;

	@Autowired
	RedisConnectionFactory connectionFactory;

	@Autowired
	List<SessionGateRedisSessionRepository> customized;

	private final TestBrowser browser = new TestBrowser();

	@Test
	void sessionIdsComeFromTheApplicationsGenerator() throws Exception {
		assertThat(get("/cart/add?item=apple").body()).isEqualTo("1");

		assertThat(this.browser.sessionId())
			.matches("app-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
	}

	@Test
	void attributesAreStoredWithTheApplicationsSerializerAndReadBack() throws Exception {
		get("/cart/add?item=apple");
		get("/cart/add?item=pear");

		byte[] stored = storedAttribute(this.browser.sessionId(), "cart");
		String json = new String(stored, StandardCharsets.UTF_8);
		// JSON, not Java serialization (which starts with 0xACED)
		assertThat(stored[0]).isNotEqualTo((byte) 0xAC);
		assertThat(json).startsWith("[").contains("\"apple\"").contains("\"pear\"");
		assertThat(get("/cart").body()).isEqualTo("[apple, pear]");
	}

	@Test
	void customizersAreCalledOnceWithTheRepositoryTheGateUses() {
		assertThat(this.sessionRepository).isInstanceOf(GuardedSessionRepository.class);
		assertThat(this.customized).containsExactly((SessionGateRedisSessionRepository) //
		((GuardedSessionRepository<?>) this.sessionRepository).delegate());
	}

	@Test
	void generatorWhoseIdsTheGateWouldRejectThenStartUpFailsSayingSo() {
		String uri = RedisTestServer.shared().uri();
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionGateRedisSessionsAutoConfiguration.class,
					SessionGateAutoConfiguration.class, SessionAutoConfiguration.class))
			.withBean(LettuceConnectionFactory.class,
					() -> RedisSessionLedger.connectionFactory(uri, Duration.ofSeconds(2)))
			.withBean(SessionIdGenerator.class, () -> () -> "short")
			.withPropertyValues("sessiongate.redis.session-repository=sessiongate", "sessiongate.store=redis",
					"sessiongate.redis.key-prefix=" + PREFIX)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("SessionIdGenerator")
					.hasMessageContaining("SessionIdValidator");
			});
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpResponse<String> response = this.browser.get(URI.create("http://localhost:" + this.port + path));
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response;
	}

	private byte[] storedAttribute(String sessionId, String name) {
		SessionGateRedisSessionRepository repository = this.customized.get(0);
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			byte[] value = connection.hashCommands()
				.hGet(repository.dataKey(sessionId).getBytes(StandardCharsets.UTF_8),
						("sessionAttr:" + name).getBytes(StandardCharsets.UTF_8));
			assertThat(value).as("stored attribute %s", name).isNotNull();
			return value;
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(CartController.class)
	static class CustomizedApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.csrf((csrf) -> csrf.disable())
				.build();
		}

		@Bean
		RedisSerializer<Object> springSessionDefaultRedisSerializer() {
			return GenericJacksonJsonRedisSerializer.builder().build();
		}

		@Bean
		SessionIdGenerator sessionIdGenerator() {
			return () -> "app-" + UUID.randomUUID();
		}

		@Bean
		List<SessionGateRedisSessionRepository> customized() {
			return new ArrayList<>();
		}

		@Bean
		SessionRepositoryCustomizer<SessionGateRedisSessionRepository> recordingCustomizer(
				List<SessionGateRedisSessionRepository> customized) {
			return customized::add;
		}

	}

	@RestController
	static class CartController {

		@GetMapping("/cart/add")
		String add(@RequestParam String item, HttpSession session) {
			List<String> cart = new ArrayList<>(items(session));
			cart.add(item);
			session.setAttribute("cart", cart);
			return String.valueOf(cart.size());
		}

		@GetMapping("/cart")
		String cart(HttpSession session) {
			return String.valueOf(items(session));
		}

		@SuppressWarnings("unchecked")
		private static List<String> items(HttpSession session) {
			Object cart = session.getAttribute("cart");
			return (cart != null) ? (List<String>) cart : List.of();
		}

	}

}
