package io.github.sessiongate.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Drives the dashboard in headless Chromium: log in, press the burst button, see the
 * rejections and the session's counts on the page, save a screenshot under
 * {@code target/}. Needs {@value #CHROMIUM} and {@value #CHROMEDRIVER} (Debian:
 * {@code apt-get install chromium chromium-driver}); without them the test is skipped,
 * unless {@code SESSIONGATE_REQUIRE_BROWSER=true} (set by {@code .ci/run}) makes it fail.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DashboardBrowserTests {

	static final String CHROMIUM = "/usr/bin/chromium";

	static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	private WebDriver driver;

	@BeforeEach
	void startBrowser(@TempDir Path profile) {
		boolean installed = Files.isExecutable(Paths.get(CHROMIUM)) && Files.isExecutable(Paths.get(CHROMEDRIVER));
		String message = "Headless Chromium is needed for the dashboard browser test: " + CHROMIUM + " and "
				+ CHROMEDRIVER + " (apt-get install chromium chromium-driver)";
		if (!installed && "true".equalsIgnoreCase(System.getenv("SESSIONGATE_REQUIRE_BROWSER"))) {
			fail(message + " are missing and SESSIONGATE_REQUIRE_BROWSER=true");
		}
		assumeTrue(installed, message + "; test skipped");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1280,1100", "--user-data-dir=" + profile.toAbsolutePath());
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	@AfterEach
	void stopBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@Test
	void burstButtonWhenPressedThenDashboardShowsRejectionsAndSessionCounts() throws IOException {
		this.driver.get("http://localhost:" + this.port + "/");
		this.driver.findElement(By.name("username")).sendKeys("admin");
		this.driver.findElement(By.name("password")).sendKeys("admin");
		this.driver.findElement(By.cssSelector("button[type=submit]")).click();
		WebDriverWait wait = new WebDriverWait(this.driver, WAIT);
		wait.until((d) -> "admin".equals(d.findElement(By.id("user")).getText()));
		wait.until((d) -> !d.findElements(By.id("current-session")).isEmpty());
		long requestsBefore = number(this.driver, "#current-session .requests");

		this.driver.findElement(By.id("burst")).click();
		wait.until((d) -> "true".equals(d.findElement(By.id("result")).getDomAttribute("data-done")));
		WebElement result = this.driver.findElement(By.id("result"));
		long ok = Long.parseLong(result.getDomAttribute("data-ok"));
		long rejected = Long.parseLong(result.getDomAttribute("data-rejected"));
		assertThat(rejected).as("429s from the burst").isPositive();
		assertThat(ok).as("requests within the limit of 3").isGreaterThanOrEqualTo(3);
		assertThat(result.getText()).contains("rejected with 429");

		// the dashboard catches up on its next poll
		wait.until((d) -> number(d, "#current-session .rejections") == rejected);
		// at least: the browser may fetch a page resource of its own in the meantime
		assertThat(number(this.driver, "#current-session .requests")).isGreaterThanOrEqualTo(requestsBefore + ok);
		assertThat(number(this.driver, "#limits tr[data-limit=session-concurrency] .count"))
			.isGreaterThanOrEqualTo(rejected);
		assertThat(number(this.driver, "#rejected")).isGreaterThanOrEqualTo(rejected);
		assertThat(this.driver.findElements(By.cssSelector("#current-session button.end")))
			.as("the admin's end-session button")
			.hasSize(1);
		// let the chart draw the burst, then keep a picture of it
		wait.until((d) -> number(d, "#activeRequests") == 0);
		wait.until((
				d) -> ((Number) ((JavascriptExecutor) d).executeScript("return chart ? chart.data.labels.length : 99;"))
					.intValue() >= 5);
		Path screenshot = Paths.get("target", "dashboard-burst.png");
		Files.createDirectories(screenshot.getParent());
		File file = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE);
		Files.copy(file.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
		assertThat(screenshot).isNotEmptyFile();
	}

	/**
	 * Reads a number from the page in one script call: the dashboard re-renders every
	 * second, so a {@link WebElement} found earlier may already be gone.
	 */
	private static long number(WebDriver driver, String selector) {
		Object text = ((JavascriptExecutor) driver).executeScript(
				"const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector);
		assertThat(text).as("element %s", selector).isNotNull();
		return Long.parseLong(text.toString().trim());
	}

}
