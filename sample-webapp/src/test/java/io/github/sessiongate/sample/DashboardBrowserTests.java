package io.github.sessiongate.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the dashboard in headless Chromium: log in, press the burst button, see the
 * rejections and the session's counts on the page, save a screenshot under
 * {@code target/}. Skipped without Chromium ({@link HeadlessChromium}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DashboardBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	private WebDriver driver;

	@BeforeEach
	void startBrowser(@TempDir Path profile) {
		this.driver = HeadlessChromium.start("for the dashboard browser test", profile, "1280,1100");
	}

	@AfterEach
	void stopBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@Test
	void burstButtonWhenPressedThenDashboardShowsRejectionsAndSessionCounts() throws IOException {
		WebDriverWait wait = logInAsAdmin();
		long requestsBefore = number(this.driver, "#current-session .requests");
		long rejectedBefore = number(this.driver, "#rejected");
		long limitRowBefore = number(this.driver, "#limits tr[data-limit=session-concurrency] .count");
		long chartRejectionsBefore = chartRejections(this.driver);

		this.driver.findElement(By.id("burst")).click();
		wait.until((d) -> "true".equals(d.findElement(By.id("result")).getDomAttribute("data-done")));
		WebElement result = this.driver.findElement(By.id("result"));
		long ok = Long.parseLong(result.getDomAttribute("data-ok"));
		long rejected = Long.parseLong(result.getDomAttribute("data-rejected"));
		assertThat(ok + rejected).as("every request of the burst answered 200 or 429").isEqualTo(20);
		assertThat(rejected).as("429s from the burst").isPositive();
		assertThat(ok).as("requests within the limit of 3").isGreaterThanOrEqualTo(3);
		assertThat(result.getText()).contains("rejected with 429");

		// the dashboard catches up on its next poll; the pages declare an empty icon, so
		// the
		// browser makes no request of its own (a favicon request used to be redirected to
		// the login page and counted)
		wait.until((d) -> number(d, "#current-session .rejections") == rejected);
		wait.until((d) -> number(d, "#activeRequests") == 0);
		assertThat(number(this.driver, "#current-session .requests")).isEqualTo(requestsBefore + ok);
		assertThat(number(this.driver, "#limits tr[data-limit=session-concurrency] .count"))
			.isEqualTo(limitRowBefore + rejected);
		assertThat(number(this.driver, "#rejected")).isEqualTo(rejectedBefore + rejected);
		assertThat(this.driver.findElements(By.cssSelector("#current-session button.end")))
			.as("no end-session button on the admin's own row")
			.isEmpty();
		assertThat(text(this.driver, "#current-session .reference")).as("the same reference as My SessionContext")
			.isEqualTo(contextReference() + " (you)");
		// the chart counts every rejection: nothing smoothed away
		wait.until((d) -> chartRejections(d) == chartRejectionsBefore + rejected);
		// let the chart draw the burst, then keep a picture of it
		wait.until((
				d) -> ((Number) ((JavascriptExecutor) d).executeScript("return chart ? chart.data.labels.length : 99;"))
					.intValue() >= 5);
		screenshot("dashboard-burst.png");
	}

	@ParameterizedTest
	@ValueSource(ints = { 1280, 1024, 800 })
	void layoutWhenSessionContextOpenThenRejectionsPanelKeepsItsWidthAndNothingOverflows(int width) throws IOException {
		this.driver.manage().window().setSize(new Dimension(width, 900));
		logInAsAdmin();
		contextReference();

		JavascriptExecutor page = (JavascriptExecutor) this.driver;
		long limitsPanel = ((Number) page
			.executeScript("return document.getElementById('limits').closest('.panel').getBoundingClientRect().width;"))
			.longValue();
		// at least 18rem: the panel's minimum, which a long user agent in the context
		// used to
		// squeeze
		assertThat(limitsPanel).as("width of 'Rejections by limit' at %d px", width).isGreaterThanOrEqualTo(288);
		assertThat((Boolean) page
			.executeScript("return document.documentElement.scrollWidth <= document.documentElement.clientWidth;"))
			.as("no horizontal scrolling at %d px", width)
			.isTrue();
		// legend swatches are the datasets' solid point shapes, not the errors line's
		// dash
		assertThat((Boolean) page.executeScript("return chart.options.plugins.legend.labels.usePointStyle;")).isTrue();
		screenshot("dashboard-context-" + width + ".png");
	}

	private WebDriverWait logInAsAdmin() {
		this.driver.get("http://localhost:" + this.port + "/");
		this.driver.findElement(By.name("username")).sendKeys("admin");
		this.driver.findElement(By.name("password")).sendKeys("admin");
		this.driver.findElement(By.cssSelector("button[type=submit]")).click();
		WebDriverWait wait = new WebDriverWait(this.driver, WAIT);
		wait.until((d) -> "admin".equals(d.findElement(By.id("user")).getText()));
		wait.until((d) -> !d.findElements(By.id("current-session")).isEmpty());
		return wait;
	}

	private void screenshot(String name) throws IOException {
		Path screenshot = Paths.get("target", name);
		Files.createDirectories(screenshot.getParent());
		File file = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE);
		Files.copy(file.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
		assertThat(screenshot).isNotEmptyFile();
	}

	private String contextReference() {
		this.driver.findElement(By.id("context")).click();
		new WebDriverWait(this.driver, WAIT).until((d) -> !text(d, "#contextView").isEmpty());
		String view = text(this.driver, "#contextView");
		Matcher matcher = Pattern.compile("\"session\": \"([0-9a-f]{12})\"").matcher(view);
		assertThat(matcher.find()).as("session reference in %s", view).isTrue();
		return matcher.group(1);
	}

	private static long chartRejections(WebDriver driver) {
		return ((Number) ((JavascriptExecutor) driver)
			.executeScript("return chart ? chart.data.datasets[1].data.reduce((a, b) => a + b, 0) : -1;")).longValue();
	}

	private static String text(WebDriver driver, String selector) {
		Object text = ((JavascriptExecutor) driver).executeScript(
				"const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector);
		assertThat(text).as("element %s", selector).isNotNull();
		return text.toString().trim();
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
