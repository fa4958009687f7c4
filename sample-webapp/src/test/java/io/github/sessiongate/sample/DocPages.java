package io.github.sessiongate.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the user documentation (README.md and docs/) and the sources the reactor builds,
 * for the tests that keep the two in step.
 */
final class DocPages {

	private DocPages() {
	}

	/**
	 * The repository's root, found above the working directory.
	 * @return the root
	 */
	static Path repositoryRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !(Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs")))) {
			dir = dir.getParent();
		}
		assertThat(dir).as("repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
		return dir;
	}

	/**
	 * README.md, then every page of docs/ in name order.
	 * @param root the repository root
	 * @return the pages
	 */
	static List<Path> pages(Path root) throws IOException {
		List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
		try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
			docs.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	/**
	 * The source files of the repository with one of the extensions (build output, Git
	 * and node folders left out).
	 * @param root the repository root
	 * @param extensions e.g. {@code .java}
	 * @return the files
	 */
	static List<Path> sources(Path root, List<String> extensions) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter((file) -> {
				String path = file.toString().replace('\\', '/');
				return !path.contains("/target/") && !path.contains("/.git/") && !path.contains("/node_modules/")
						&& Files.isRegularFile(file) && extensions.stream().anyMatch(path::endsWith);
			}).toList();
		}
	}

	/**
	 * The fenced code blocks of a page.
	 * @param page the page
	 * @return the blocks, in page order
	 */
	static List<Snippet> snippets(Path page) throws IOException {
		List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
		List<Snippet> snippets = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			String fence = lines.get(i).trim();
			if (!fence.startsWith("```")) {
				continue;
			}
			String language = fence.substring(3).trim().toLowerCase(Locale.ROOT);
			int start = i;
			String before = "";
			for (int j = i - 1; j >= 0 && before.isEmpty(); j--) {
				before = lines.get(j).trim();
			}
			List<String> body = new ArrayList<>();
			for (i++; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
				body.add(lines.get(i));
			}
			snippets.add(new Snippet(start + 1, language, body, before));
		}
		return snippets;
	}

	/**
	 * Lines without leading and trailing white space, runs of blanks as one, blank lines
	 * left out.
	 * @param lines the lines
	 * @return the normalized lines
	 */
	static List<String> normalize(List<String> lines) {
		return lines.stream()
			.map((line) -> line.strip().replaceAll("\\s+", " "))
			.filter((line) -> !line.isEmpty())
			.toList();
	}

	/**
	 * Whether the source holds the snippet's lines in a row.
	 * @param source normalized source lines
	 * @param snippet normalized snippet lines
	 * @return {@code true} if found
	 */
	static boolean contains(List<String> source, List<String> snippet) {
		for (int start = 0; start + snippet.size() <= source.size(); start++) {
			if (source.subList(start, start + snippet.size()).equals(snippet)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A fenced code block.
	 *
	 * @param line the fence's line number
	 * @param language the fence's language, lower case ({@code ""} when unlabelled)
	 * @param lines the block's lines as written
	 * @param lineBefore the last non-blank line above the fence
	 */
	record Snippet(int line, String language, List<String> lines, String lineBefore) {

		List<String> normalized() {
			return normalize(this.lines);
		}

		/**
		 * Whether the block is a Java import block (every line an import).
		 */
		boolean isImports() {
			List<String> normalized = normalized();
			return this.language.equals("java") && !normalized.isEmpty()
					&& normalized.stream().allMatch((line) -> line.startsWith("import "));
		}

	}

}
