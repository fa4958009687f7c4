package io.github.sessiongate.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Starts headless Chromium for the browser tests. Needs {@value #CHROMIUM} and
 * {@value #CHROMEDRIVER} (Debian: {@code apt-get install chromium chromium-driver});
 * without them the test is skipped, unless {@code SESSIONGATE_REQUIRE_BROWSER=true} (set
 * by {@code .ci/run}) makes it fail.
 */
final class HeadlessChromium {

	static final String CHROMIUM = "/usr/bin/chromium";

	static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private HeadlessChromium() {
	}

	/**
	 * Starts a browser, or skips the test when Chromium is not installed.
	 * @param purpose what the test needs the browser for, for the skip message
	 * @param profile an empty folder for the browser's profile
	 * @param windowSize width and height, e.g. {@code 1280,1100}
	 * @return the driver; quit it when done
	 */
	static WebDriver start(String purpose, Path profile, String windowSize) {
		boolean installed = Files.isExecutable(Paths.get(CHROMIUM)) && Files.isExecutable(Paths.get(CHROMEDRIVER));
		String message = "Headless Chromium is needed " + purpose + ": " + CHROMIUM + " and " + CHROMEDRIVER
				+ " (apt-get install chromium chromium-driver)";
		if (!installed && "true".equalsIgnoreCase(System.getenv("SESSIONGATE_REQUIRE_BROWSER"))) {
			fail(message + " are missing and SESSIONGATE_REQUIRE_BROWSER=true");
		}
		assumeTrue(installed, message + "; test skipped");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=" + windowSize, "--user-data-dir=" + profile.toAbsolutePath());
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

}
