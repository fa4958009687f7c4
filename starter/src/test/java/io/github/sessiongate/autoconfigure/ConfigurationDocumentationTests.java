package io.github.sessiongate.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/configuration.md} in step with the metadata the configuration
 * processor generates: the same properties, the same defaults, a meaning for each.
 *
 * @author SessionGate team
 */
class ConfigurationDocumentationTests {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	private static final Path DOCUMENT = Path.of("../docs/configuration.md");

	private static final Pattern ROW = Pattern.compile("^\\| `(sessiongate\\.[a-z0-9.-]+)` \\| (.+?) \\| (.+) \\|$");

	@Test
	void configurationDocumentWhenComparedWithMetadataThenListsEveryPropertyWithItsDefault() throws IOException {
		Map<String, String> documented = documented();
		Map<String, String> generated = generated();
		assertThat(documented.keySet()).as("properties in docs/configuration.md")
			.containsExactlyInAnyOrderElementsOf(generated.keySet());
		assertThat(documented).as("defaults in docs/configuration.md").isEqualTo(generated);
	}

	@Test
	void metadataWhenGeneratedThenEveryPropertyHasADescription() {
		JsonNode properties = JsonMapper.builder().build().readTree(METADATA.toFile()).get("properties");
		for (JsonNode property : properties) {
			assertThat(property.path("description").asString()).as(property.get("name").asString()).isNotBlank();
		}
	}

	@Test
	void metadataWhenGeneratedThenHoldsExactlyThePropertiesContract() {
		assertThat(generated().keySet()).containsExactlyInAnyOrder("sessiongate.enabled", "sessiongate.store",
				"sessiongate.creation-policy", "sessiongate.excluded-paths", "sessiongate.exclude-actuator",
				"sessiongate.filter-order", "sessiongate.on-store-failure", "sessiongate.sweep-interval",
				"sessiongate.limits.max-concurrent-requests-per-session", "sessiongate.limits.max-active-requests",
				"sessiongate.limits.rate.capacity", "sessiongate.limits.rate.refill-period",
				"sessiongate.limits.max-sessions-per-user", "sessiongate.limits.sessions-per-user-policy",
				"sessiongate.limits.max-sessions", "sessiongate.timeouts.absolute",
				"sessiongate.errors.fail-session-after.min-requests",
				"sessiongate.errors.fail-session-after.max-error-ratio", "sessiongate.history.retention",
				"sessiongate.client-ip.trusted-proxies", "sessiongate.tenant.header", "sessiongate.device.header",
				"sessiongate.inventory.client-ip", "sessiongate.inventory.api-path",
				"sessiongate.inventory.metadata.keys", "sessiongate.inventory.metadata.max-value-length",
				"sessiongate.redis.key-prefix", "sessiongate.redis.session-repository",
				"sessiongate.limits.max-streams-per-session", "sessiongate.limits.max-active-streams",
				"sessiongate.streams.paths", "sessiongate.streams.check-interval");
	}

	private static Map<String, String> documented() throws IOException {
		Map<String, String> defaults = new LinkedHashMap<>();
		for (String line : Files.readAllLines(DOCUMENT)) {
			Matcher row = ROW.matcher(line);
			if (row.matches()) {
				assertThat(row.group(3)).as("meaning of " + row.group(1)).isNotBlank();
				String previous = defaults.put(row.group(1), row.group(2).replace("`", ""));
				assertThat(previous).as("documented twice: " + row.group(1)).isNull();
			}
		}
		return defaults;
	}

	private static Map<String, String> generated() {
		Map<String, String> defaults = new LinkedHashMap<>();
		JsonNode properties = JsonMapper.builder().build().readTree(METADATA.toFile()).get("properties");
		for (JsonNode property : properties) {
			String name = property.get("name").asString();
			if (name.startsWith(SessionGateProperties.PREFIX + ".")) {
				JsonNode value = property.get("defaultValue");
				defaults.put(name, (value != null && !value.isNull()) ? value.asString() : "—");
			}
		}
		return defaults;
	}

}
