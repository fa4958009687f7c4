package io.github.sessiongate.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.sessiongate.sample.DocPages.Snippet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code java}, {@code xml} and {@code properties} snippet in README.md and docs/
 * must appear, line for line, in a source file the reactor builds (the samples under
 * {@code samples/}, which tests start, or other sources and tests), so that a snippet
 * cannot drift from code that compiles and runs. Lines are compared without leading and
 * trailing white space, runs of blanks count as one and blank lines are ignored. Commands
 * ({@code bash}), outputs ({@code json}, unlabelled blocks) are not checked; Java import
 * blocks are checked by {@link GuideImportsTests}, dependency lists also by
 * {@link DependencyListsTests}.
 */
class DocumentationSnippetsTests {

	private static final Set<String> CHECKED_LANGUAGES = Set.of("java", "xml", "properties");

	private static final List<String> SOURCE_EXTENSIONS = List.of(".java", ".xml", ".properties");

	/**
	 * Pages not checked yet, each with the reason. docs/guide-redis.md is being rewritten
	 * by its owner; its Jetty snippet is to be taken from samples/jetty's
	 * {@code RedisJettyApp} (which reads the Redis URI from a variable).
	 */
	private static final Set<String> NOT_YET_CHECKED = Set.of();

	@Test
	void everyCodeSnippetInTheDocsAppearsInABuiltSource() throws IOException {
		Path root = DocPages.repositoryRoot();
		List<List<String>> sources = new ArrayList<>();
		for (Path file : DocPages.sources(root, SOURCE_EXTENSIONS)) {
			sources.add(DocPages.normalize(Files.readAllLines(file, StandardCharsets.UTF_8)));
		}

		List<String> checked = new ArrayList<>();
		List<String> missing = new ArrayList<>();
		for (Path page : DocPages.pages(root)) {
			if (NOT_YET_CHECKED.contains(root.relativize(page).toString().replace('\\', '/'))) {
				continue;
			}
			for (Snippet snippet : DocPages.snippets(page)) {
				// import blocks are checked by GuideImportsTests
				if (!CHECKED_LANGUAGES.contains(snippet.language()) || snippet.normalized().isEmpty()
						|| snippet.isImports()) {
					continue;
				}
				String where = root.relativize(page) + ":" + snippet.line();
				checked.add(where);
				if (sources.stream().noneMatch((source) -> DocPages.contains(source, snippet.normalized()))) {
					missing.add(where + "\n" + String.join("\n", snippet.normalized()));
				}
			}
		}

		assertThat(checked).as("snippets found").hasSizeGreaterThan(15);
		assertThat(missing).as("snippets that no source contains").isEmpty();
	}

}
