package io.github.sessiongate.sample;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.sessiongate.sample.PromQl.Reference;
import io.github.sessiongate.sample.PromQl.Series;
import io.github.sessiongate.testsupport.Await;
import io.github.sessiongate.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Grafana dashboard and Prometheus alert rules ({@code docs/monitoring/})
 * against what the demo really publishes: the Boot demo on Redis runs on a random port,
 * real users make traffic (successes, failures, a burst that the concurrency limit
 * refuses), Redis is killed and restarted, and an anonymous client scrapes
 * {@code /actuator/prometheus} after every step, as Prometheus would. Every query must
 * name only meters, tags and tag values found in those scrapes, every panel must show
 * data, and the store alerts must fire during the outage only. The panels drawn from the
 * same scrapes are saved as {@code target/grafana-dashboard.png} (the picture in
 * docs/metrics.md) when headless Chromium is installed.
 */
class MonitoringQueriesTests {

	static final Path DASHBOARD = Paths.get("..", "docs", "monitoring", "sessiongate-dashboard.json");

	static final Path ALERTS = Paths.get("..", "docs", "monitoring", "sessiongate-alerts.yml");

	private static final String JOB = "sessiongate-demo";

	private static final List<Scrape> timeline = new ArrayList<>();

	/** Index in {@link #timeline} of the first scrape with Redis down, and after. */
	private static int outageStart;

	private static int outageEnd;

	private static RedisTestServer redis;

	private static ConfigurableApplicationContext demo;

	private static int port;

	private static final HttpClient scraper = HttpClient.newHttpClient();

	@BeforeAll
	static void runDemoAndScrapeIt() throws Exception {
		redis = RedisTestServer.start();
		demo = new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.data.redis.url=" + redis.uri(), "--spring.data.redis.timeout=300ms",
					"--sessiongate.on-store-failure=allow");
		port = ((WebServerApplicationContext) demo).getWebServer().getPort();
		scrape();
		DemoUser alice = DemoUser.login(port, "alice", "alice");
		DemoUser bob = DemoUser.login(port, "bob", "bob");
		scrape();
		ExecutorService executor = Executors.newFixedThreadPool(12);
		try {
			for (int round = 0; round < 4; round++) {
				List<CompletableFuture<?>> slow = new ArrayList<>();
				for (int i = 0; i < 2; i++) {
					slow.add(CompletableFuture.runAsync(() -> get(alice, "/api/slow?ms=400"), executor));
				}
				for (int i = 0; i < 6; i++) {
					get(bob, "/api/context");
				}
				get(bob, "/api/fail");
				scrape();
				CompletableFuture.allOf(slow.toArray(CompletableFuture[]::new)).join();
				scrape();
			}
			// a burst: 12 parallel slow requests of one session at a limit of 3
			List<CompletableFuture<?>> burst = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				burst.add(CompletableFuture.runAsync(() -> get(bob, "/api/slow?ms=300"), executor));
			}
			CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).join();
			scrape();
			// a fourth session of bob's ends his oldest
			// (sessions-per-user-policy=end-oldest)
			for (int i = 0; i < 3; i++) {
				DemoUser.login(port, "bob", "bob").get("/api/context");
			}
			scrape();
		}
		finally {
			executor.shutdownNow();
		}
		redis.kill();
		outageStart = timeline.size();
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < 4; i++) {
				get(alice, "/api/context");
			}
			scrape();
		}
		outageEnd = timeline.size();
		redis.restart();
		Await.until("logins work again", Duration.ofSeconds(5), MonitoringQueriesTests::logsIn);
		scrape();
		DemoUser again = DemoUser.login(port, "alice", "alice");
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < 6; i++) {
				get(again, "/api/context");
			}
			scrape();
		}
	}

	@AfterAll
	static void stopDemo() throws Exception {
		if (demo != null) {
			demo.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void dashboardAndAlertsWhenQueriedThenNameOnlyMetersTagsAndValuesTheDemoPublishes() throws IOException {
		Map<String, Map<String, Set<String>>> published = published();
		List<String> queries = new ArrayList<>(dashboardQueries().values());
		queries.addAll(alertQueries().values());
		assertThat(queries).hasSizeGreaterThan(10);
		List<String> problems = new ArrayList<>();
		for (String query : queries) {
			for (Reference reference : PromQl.parse(query).references()) {
				Map<String, Set<String>> labels = published.get(reference.metric());
				if (labels == null) {
					problems.add(reference.metric() + " is not published (in " + query + ")");
					continue;
				}
				for (String label : reference.labels()) {
					if (!labels.containsKey(label)) {
						problems.add(reference.metric() + " has no tag " + label + " (in " + query + ")");
					}
				}
				reference.requiredValues().forEach((label, value) -> {
					if (!labels.getOrDefault(label, Set.of()).contains(value)) {
						problems
							.add(reference.metric() + " never has " + label + "=\"" + value + "\" (in " + query + ")");
					}
				});
			}
		}
		assertThat(problems).as("queries that name what SessionGate does not publish").isEmpty();
	}

	@Test
	void dashboardWhenDrawnFromTheDemoThenEveryPanelShowsData() throws IOException {
		for (JsonNode panel : dashboard().get("panels")) {
			List<DashboardPreview.Line> lines = DashboardPreview.lines(panel, timeline);
			assertThat(lines).as(panel.get("title").asString()).isNotEmpty().anyMatch(DashboardPreview.Line::hasValue);
		}
	}

	@Test
	void storeAlertsWhenRedisKilledThenFireDuringTheOutageOnly() throws IOException {
		Map<String, String> alerts = alertQueries();
		PromQl.Expression circuitOpen = PromQl.parse(alerts.get("SessionGateStoreCircuitOpen"));
		PromQl.Expression storeErrors = PromQl.parse(alerts.get("SessionGateStoreErrors"));
		for (int i = 1; i < timeline.size(); i++) {
			boolean outage = i >= outageStart && i < outageEnd;
			assertThat(firing(circuitOpen, i))
				.as("circuit open alert at scrape %d (outage: scrapes %d to %d)", i, outageStart, outageEnd - 1)
				.isEqualTo(outage);
			if (i < outageStart) {
				assertThat(firing(storeErrors, i)).as("store errors alert at scrape %d, before the outage", i)
					.isFalse();
			}
		}
		// a counter's rate needs two scrapes of its series: by the outage's last scrape
		assertThat(firing(storeErrors, outageEnd - 1)).as("store errors alert during the outage").isTrue();
		// every other alert at least evaluates over the demo's data
		alerts.values().forEach((query) -> PromQl.parse(query).evaluate(timeline.get(0), timeline.get(1)));
	}

	private static boolean firing(PromQl.Expression alert, int scrape) {
		return !alert.evaluate(timeline.get(scrape - 1), timeline.get(scrape)).isEmpty();
	}

	@Test
	void dashboardWhenRenderedInChromiumThenSavesThePicture(@TempDir Path profile) throws IOException {
		double seconds = (timeline.get(timeline.size() - 1).timeMillis() - timeline.get(0).timeMillis()) / 1000.0;
		String html = DashboardPreview.render(dashboard(), timeline, String.format(java.util.Locale.ROOT,
				"docs/monitoring/sessiongate-dashboard.json over %d scrapes of the demo's /actuator/prometheus (%.0f s: "
						+ "traffic, a burst at the concurrency limit, Redis killed and restarted), drawn by MonitoringQueriesTests",
				timeline.size(), seconds));
		Path page = Paths.get("target", "grafana-dashboard.html").toAbsolutePath();
		Files.createDirectories(page.getParent());
		Files.writeString(page, html);
		WebDriver driver = HeadlessChromium.start("to draw the dashboard's picture", profile, "1400,1100");
		try {
			driver.get(page.toUri().toString());
			File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
			Path picture = Paths.get("target", "grafana-dashboard.png");
			Files.copy(file.toPath(), picture, StandardCopyOption.REPLACE_EXISTING);
			assertThat(picture).isNotEmptyFile();
		}
		finally {
			driver.quit();
		}
	}

	/** Every metric of every scrape, with the values seen for each of its labels. */
	private static Map<String, Map<String, Set<String>>> published() {
		Map<String, Map<String, Set<String>>> published = new LinkedHashMap<>();
		for (Scrape scrape : timeline) {
			scrape.metrics().forEach((metric, series) -> {
				Map<String, Set<String>> labels = published.computeIfAbsent(metric, (m) -> new LinkedHashMap<>());
				for (Series one : series) {
					one.labels()
						.forEach((label, value) -> labels.computeIfAbsent(label, (l) -> new TreeSet<>()).add(value));
				}
			});
		}
		return published;
	}

	static JsonNode dashboard() throws IOException {
		return JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
	}

	/** Each panel target's query, by panel title and target. */
	private static Map<String, String> dashboardQueries() throws IOException {
		Map<String, String> queries = new LinkedHashMap<>();
		Set<String> seen = new HashSet<>();
		for (JsonNode panel : dashboard().get("panels")) {
			for (JsonNode target : panel.get("targets")) {
				String key = panel.get("title").asString() + " " + target.get("refId").asString();
				assertThat(seen.add(key)).as("one target per refId in " + key).isTrue();
				queries.put(key, target.get("expr").asString());
			}
		}
		return queries;
	}

	/** Each alert's query, by alert name. */
	@SuppressWarnings("unchecked")
	private static Map<String, String> alertQueries() throws IOException {
		Map<String, Object> rules = new Yaml().load(Files.readString(ALERTS));
		Map<String, String> queries = new LinkedHashMap<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				queries.put((String) rule.get("alert"), (String) rule.get("expr"));
			}
		}
		return queries;
	}

	private static void scrape() {
		try {
			HttpResponse<String> response = scraper
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("anonymous scrape").isEqualTo(200);
			timeline.add(Scrape.parse(response.body(), System.currentTimeMillis(), "localhost:" + port, JOB));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void get(DemoUser user, String path) {
		try {
			user.get(path);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean logsIn() {
		try {
			return DemoUser.login(port, "bob", "bob").get("/api/context").statusCode() == 200;
		}
		catch (Exception | AssertionError ex) {
			return false;
		}
	}

}
