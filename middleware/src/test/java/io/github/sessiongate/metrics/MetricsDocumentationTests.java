package io.github.sessiongate.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sessiongate.StoreOperation;
import io.github.sessiongate.limit.Limit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the tag values listed in {@code docs/metrics.md} in step with the code: the
 * values are read from the enums the meters are registered from.
 */
class MetricsDocumentationTests {

	private static final Path DOCUMENT = Path.of("../docs/metrics.md");

	@Test
	void storeErrorsOperationValuesAreTheStoreOperations() throws IOException {
		assertThat(documentedValues(SessionGateMetrics.STORE_ERRORS, "operation"))
			.containsExactlyElementsOf(Arrays.stream(StoreOperation.values()).map(StoreOperation::tag).toList());
	}

	@Test
	void rejectedLimitValuesAreTheLimits() throws IOException {
		assertThat(documentedValues(SessionGateMetrics.REQUESTS_REJECTED, "limit"))
			.containsExactlyElementsOf(Arrays.stream(Limit.values()).map(Limit::tag).toList());
	}

	/**
	 * The values after {@code `tag` =} in the tags column of the meter's table row.
	 */
	private static List<String> documentedValues(String meter, String tag) throws IOException {
		String row = Files.readAllLines(DOCUMENT, StandardCharsets.UTF_8)
			.stream()
			.filter((line) -> line.startsWith("| `" + meter + "` |"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no row for " + meter + " in " + DOCUMENT));
		String tags = row.split("\\|")[3];
		Matcher list = Pattern.compile("`" + tag + "` = ((?:`[a-z-]+`(?:, )?)+)").matcher(tags);
		assertThat(list.find()).as("'`%s` = `value`, ...' in the row of %s", tag, meter).isTrue();
		List<String> values = new ArrayList<>();
		Matcher value = Pattern.compile("`([a-z-]+)`").matcher(list.group(1));
		while (value.find()) {
			values.add(value.group(1));
		}
		return values;
	}

}
