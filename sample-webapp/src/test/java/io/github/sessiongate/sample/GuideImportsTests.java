package io.github.sessiongate.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.sessiongate.sample.DocPages.Snippet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet of a guide compiles as shown with the imports the guide shows.
 * {@link DocumentationSnippetsTests} finds each snippet in a source the build compiles;
 * here every type or static member that source imports and the snippet names must be
 * imported by one of the page's import blocks (a {@code java} block of {@code import}
 * lines), exactly or by a {@code .*} of its package, and every import shown must be one
 * that a built source makes.
 */
class GuideImportsTests {

	@Test
	void everyGuidesJavaSnippetsUseOnlyTheImportsTheGuideShows() throws IOException {
		Path root = DocPages.repositoryRoot();
		List<JavaSource> sources = new ArrayList<>();
		Set<String> builtImports = new LinkedHashSet<>();
		for (Path file : DocPages.sources(root, List.of(".java"))) {
			JavaSource source = JavaSource.read(file);
			sources.add(source);
			builtImports.addAll(source.imports());
		}

		List<Path> guides = DocPages.pages(root)
			.stream()
			.filter((page) -> page.getFileName().toString().startsWith("guide-"))
			.toList();
		assertThat(guides).as("guides").hasSizeGreaterThanOrEqualTo(3);
		List<String> problems = new ArrayList<>();
		int checked = 0;
		for (Path guide : guides) {
			List<Snippet> snippets = DocPages.snippets(guide);
			Set<String> shown = new LinkedHashSet<>();
			snippets.stream().filter(Snippet::isImports).forEach((block) -> shown.addAll(block.normalized()));
			for (String line : shown) {
				if (!isBuilt(line, builtImports)) {
					problems.add(root.relativize(guide) + ": " + line + " is imported by no built source");
				}
			}
			for (Snippet snippet : snippets) {
				if (!snippet.language().equals("java") || snippet.isImports()) {
					continue;
				}
				checked++;
				List<String> unshown = null;
				for (JavaSource source : sources) {
					if (DocPages.contains(source.lines(), snippet.normalized())) {
						List<String> missing = source.importsUsedBy(snippet)
							.stream()
							.filter((line) -> !covers(shown, line))
							.toList();
						if (unshown == null || missing.size() < unshown.size()) {
							unshown = missing;
						}
					}
				}
				if (unshown != null && !unshown.isEmpty()) {
					problems.add(root.relativize(guide) + ":" + snippet.line() + " needs " + unshown);
				}
			}
		}
		assertThat(checked).as("java snippets in the guides").isGreaterThan(10);
		assertThat(problems).as("imports the guides do not show").isEmpty();
	}

	private static boolean isBuilt(String line, Set<String> builtImports) {
		if (!line.endsWith(".*;")) {
			return builtImports.contains(line);
		}
		String prefix = line.substring(0, line.length() - 2);
		return builtImports.stream()
			.anyMatch((built) -> built.startsWith(prefix) && built.indexOf('.', prefix.length()) < 0);
	}

	private static boolean covers(Set<String> shown, String line) {
		String owner = line.substring(0, line.lastIndexOf('.'));
		return shown.contains(line) || shown.contains(owner + ".*;");
	}

	/**
	 * A Java source: its normalized lines and its import lines.
	 */
	private record JavaSource(List<String> lines, List<String> imports) {

		static JavaSource read(Path file) throws IOException {
			List<String> lines = DocPages.normalize(Files.readAllLines(file, StandardCharsets.UTF_8));
			return new JavaSource(lines, lines.stream().filter((line) -> line.startsWith("import ")).toList());
		}

		/** The imports (not {@code .*}) whose simple name the snippet uses. */
		List<String> importsUsedBy(Snippet snippet) {
			String code = String.join("\n", snippet.normalized());
			return this.imports.stream().filter((line) -> !line.endsWith(".*;")).filter((line) -> {
				String simpleName = line.substring(line.lastIndexOf('.') + 1, line.length() - 1);
				return Pattern.compile("(?<![\\w.])" + Pattern.quote(simpleName) + "\\b").matcher(code).find();
			}).toList();
		}

	}

}
