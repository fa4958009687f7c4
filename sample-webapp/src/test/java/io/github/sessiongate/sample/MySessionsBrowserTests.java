package io.github.sessiongate.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's "Your sessions" panel in headless Chromium: one user signed in from
 * three browsers (three profiles, so three cookie jars and three sessions) sees the
 * three, with this browser marked, and from the first signs out the second (its row's
 * button) and then every other session (the panel's button); the other two browsers are
 * sent to the login page on their next request. Skipped without Chromium
 * ({@link HeadlessChromium}). Its own application context (the property below), so that
 * no other test's session of the user counts toward the demo's 3 sessions per user.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.application.name=my-sessions-test")
class MySessionsBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	private final List<WebDriver> browsers = new ArrayList<>();

	@AfterEach
	void stopBrowsers() {
		this.browsers.forEach(WebDriver::quit);
	}

	@Test
	void yourSessionsWhenOneUserOnThreeBrowsersThenFirstSignsOutTheOtherTwo(@TempDir Path profiles) throws IOException {
		WebDriver laptop = logIn(profiles.resolve("laptop"));
		WebDriver phone = logIn(profiles.resolve("phone"));
		WebDriver tablet = logIn(profiles.resolve("tablet"));
		String phoneReference = ownReference(phone);
		String tabletReference = ownReference(tablet);
		String laptopReference = ownReference(laptop);

		WebDriverWait wait = new WebDriverWait(laptop, WAIT);
		wait.until((d) -> count(d, "#mySessions tbody tr") == 3);
		assertThat(texts(laptop, "#mySessions tbody tr.this-device .reference")).containsExactly(laptopReference);
		assertThat(texts(laptop, "#mySessions tbody tr .reference")).containsExactlyInAnyOrder(laptopReference,
				phoneReference, tabletReference);
		assertThat(texts(laptop, "#mySessions tbody tr.this-device td.marker")).containsExactly("this device");
		assertThat(texts(laptop, "#mySessions tbody tr .device")).containsOnly("Chrome on Linux");
		assertThat(texts(laptop, "#mySessions tbody tr .ip")).hasSize(3).doesNotContain("", "-");
		assertThat(count(laptop, "#mySessions tbody tr.this-device button.sign-out")).isZero();
		assertThat(count(laptop, "#mySessions tbody tr button.sign-out")).isEqualTo(2);
		screenshot(laptop, "my-sessions-three.png");

		click(laptop, "#mySessions tr[data-reference='" + phoneReference + "'] button.sign-out");
		wait.until((d) -> count(d, "#mySessions tbody tr") == 2);
		assertThat(text(laptop, "#mySessionsResult")).isEqualTo("Signed out " + phoneReference + ".");
		assertSignedOut(phone);

		click(laptop, "#signOutOthers");
		wait.until((d) -> count(d, "#mySessions tbody tr") == 1);
		assertThat(text(laptop, "#mySessionsResult")).isEqualTo("Signed out 1 other session.");
		assertThat(texts(laptop, "#mySessions tbody tr .reference")).containsExactly(laptopReference);
		assertThat((Boolean) ((JavascriptExecutor) laptop)
			.executeScript("return document.getElementById('signOutOthers').disabled;")).isTrue();
		assertSignedOut(tablet);

		// the first browser is still signed in
		laptop.navigate().refresh();
		wait.until((d) -> "alice".equals(text(d, "#user")));
		assertThat(laptop.getCurrentUrl()).doesNotContain("/login");
		wait.until((d) -> count(d, "#mySessions tbody tr.this-device") == 1);
		screenshot(laptop, "my-sessions-after.png");
	}

	private WebDriver logIn(Path profile) {
		WebDriver browser = HeadlessChromium.start("for the Your sessions browser test", profile, "1280,1100");
		this.browsers.add(browser);
		browser.get("http://localhost:" + this.port + "/");
		browser.findElement(By.name("username")).sendKeys("alice");
		browser.findElement(By.name("password")).sendKeys("alice");
		browser.findElement(By.cssSelector("button[type=submit]")).click();
		new WebDriverWait(browser, WAIT).until((d) -> "alice".equals(text(d, "#user")));
		return browser;
	}

	/** The reference of the browser's own session, as its panel marks it. */
	private static String ownReference(WebDriver browser) {
		new WebDriverWait(browser, WAIT).until((d) -> count(d, "#mySessions tbody tr.this-device") == 1);
		return text(browser, "#mySessions tbody tr.this-device .reference");
	}

	/**
	 * A signed-out browser's next request (its dashboard polls) lands on the login page
	 * (with "ended" when that request was the first to find the session gone), and so
	 * does asking for the dashboard again.
	 */
	private void assertSignedOut(WebDriver browser) {
		new WebDriverWait(browser, WAIT).until((d) -> d.getCurrentUrl().contains("/login"));
		assertThat(browser.getCurrentUrl()).matches("http://localhost:\\d+/login(\\?ended)?");
		browser.get("http://localhost:" + this.port + "/");
		assertThat(browser.getCurrentUrl()).endsWith("/login");
		assertThat(browser.findElements(By.name("username"))).hasSize(1);
	}

	private static void click(WebDriver browser, String selector) {
		// in one script: the panel re-renders every 2 s, so a found element may be
		// replaced
		((JavascriptExecutor) browser).executeScript("document.querySelector(arguments[0]).click();", selector);
	}

	private static long count(WebDriver browser, String selector) {
		return ((Number) ((JavascriptExecutor) browser)
			.executeScript("return document.querySelectorAll(arguments[0]).length;", selector)).longValue();
	}

	private static String text(WebDriver browser, String selector) {
		Object text = ((JavascriptExecutor) browser).executeScript(
				"const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector);
		return (text != null) ? text.toString().trim() : "";
	}

	@SuppressWarnings("unchecked")
	private static List<String> texts(WebDriver browser, String selector) {
		return (List<String>) ((JavascriptExecutor) browser).executeScript(
				"return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent.trim());", selector);
	}

	private static void screenshot(WebDriver browser, String name) throws IOException {
		Path screenshot = Paths.get("target", name);
		Files.createDirectories(screenshot.getParent());
		File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		Files.copy(file.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
		assertThat(screenshot).isNotEmptyFile();
	}

}
