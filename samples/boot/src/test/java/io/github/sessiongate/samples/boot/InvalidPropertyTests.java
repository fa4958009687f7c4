package io.github.sessiongate.samples.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * An unacceptable property value stops the sample with Boot's failure report, in the words
 * docs/configuration.md quotes.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidPropertyTests {

	@Test
	void negativeLimitStopsStartUpWithAReportNamingTheProperty(CapturedOutput output) {
		assertThatException().isThrownBy(() -> SpringApplication.run(BootSampleApplication.class,
				"--sessiongate.limits.max-sessions=-1", "--server.port=0"));

		assertThat(output).contains("APPLICATION FAILED TO START",
				"Invalid value '-1' for configuration property 'sessiongate.limits.max-sessions'",
				"Validation failed for the following reason:", "must not be negative (0 means no limit)",
				"Review the value of the property with the provided reason.");
	}

}
