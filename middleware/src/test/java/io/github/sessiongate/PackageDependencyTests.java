package io.github.sessiongate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the packages' dependencies one way (docs/how-it-works.md, "Code layout"): below
 * the API root, {@code web} → {@code internal} → {@code ledger} → {@code limit}, and
 * {@code redis} → {@code ledger}; nothing below the root uses the {@code SessionGate}
 * facade. Reads the main sources' imports and fully qualified names.
 *
 * @author SessionGate team
 */
class PackageDependencyTests {

	private static final Path SOURCES = Path.of("src/main/java/io/github/sessiongate");

	private static final Pattern REFERENCE = Pattern
		.compile("io\\.github\\.sessiongate\\.(?:([a-z]+(?:\\.[a-z]+)*)\\.)?([A-Z][A-Za-z]*)");

	/** The SessionGate packages each package must not use. */
	private static final Map<String, Set<String>> FORBIDDEN = Map.of("limit",
			Set.of("ledger", "internal", "web", "redis", "store", "events", "metrics", "session"), "ledger",
			Set.of("internal", "web", "redis", "store", "events", "metrics", "session"), "store",
			Set.of("ledger", "internal", "web", "redis", "events", "metrics", "session"), "events",
			Set.of("internal", "web", "redis", "store", "metrics", "session"), "internal",
			Set.of("web", "redis", "metrics", "session"), "web", Set.of("redis", "metrics", "session"), "redis",
			Set.of("internal", "web", "events", "metrics", "session"), "internal.json",
			Set.of("limit", "ledger", "internal", "web", "redis", "store", "events", "metrics", "session"));

	/** The facade: only the root and the integrations on top of it use it. */
	private static final Set<String> FACADE = Set.of("SessionGate", "SessionGateAdmin");

	@Test
	void packagesBelowTheRootDependOneWayAndNeverOnTheFacade() throws IOException {
		Set<String> violations = new TreeSet<>();
		for (Map.Entry<String, Set<String>> rule : FORBIDDEN.entrySet()) {
			String pkg = rule.getKey();
			for (Path file : sources(pkg)) {
				Matcher matcher = REFERENCE.matcher(Files.readString(file));
				while (matcher.find()) {
					String used = matcher.group(1);
					if (used != null && rule.getValue().contains(used)) {
						violations.add(pkg + " -> " + used + " (" + file.getFileName() + ")");
					}
					if (used == null && FACADE.contains(matcher.group(2))) {
						violations.add(pkg + " -> facade " + matcher.group(2) + " (" + file.getFileName() + ")");
					}
				}
			}
		}
		assertThat(violations).isEmpty();
	}

	@Test
	void everyPackageIsCoveredByARule() throws IOException {
		Set<String> packages = new TreeSet<>();
		try (Stream<Path> children = Files.walk(SOURCES)) {
			children.filter((dir) -> Files.isDirectory(dir) && !dir.equals(SOURCES))
				.forEach((dir) -> packages.add(SOURCES.relativize(dir).toString().replace('/', '.')));
		}
		// integrations on top of the facade
		packages.removeAll(Set.of("metrics", "session"));
		assertThat(FORBIDDEN.keySet()).containsExactlyInAnyOrderElementsOf(packages);
	}

	private static List<Path> sources(String pkg) throws IOException {
		try (Stream<Path> files = Files.list(SOURCES.resolve(pkg.replace('.', '/')))) {
			return files.filter((file) -> file.toString().endsWith(".java")).toList();
		}
	}

}
