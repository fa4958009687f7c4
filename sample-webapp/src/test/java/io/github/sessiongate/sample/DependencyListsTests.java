package io.github.sessiongate.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import io.github.sessiongate.sample.DocPages.Snippet;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every dependency list in README.md and docs/ is the list of a sample that the build
 * compiles and starts, so a user who copies a list gets an app that runs. A list is
 * marked by an HTML comment just above its {@code xml} block:
 * <ul>
 * <li>{@code <!-- dependencies of samples/X -->}: the block holds exactly the sample's
 * dependencies (test-scoped ones aside);</li>
 * <li>{@code <!-- what samples/X adds to samples/Y -->}: the sample's dependencies are
 * sample Y's and the block's, nothing else.</li>
 * </ul>
 * Coordinates are compared (group, artifact, version as written, type, scope); comments
 * and layout are not.
 */
class DependencyListsTests {

	private static final Pattern EXACT = Pattern.compile("<!-- dependencies of (samples/[a-z-]+) -->");

	private static final Pattern ADDS = Pattern.compile("<!-- what (samples/[a-z-]+) adds to (samples/[a-z-]+) -->");

	/**
	 * Blocks that are not an app's list, each with the reason.
	 */
	private static final Map<String, String> NOT_A_LIST = Map.of("docs/migration-from-indexed-redis.md",
			"adds the starter to an existing app on Spring Session Data Redis; that app's own list is the user's");

	@Test
	void everyDependencyListInTheDocsIsASamplesList() throws Exception {
		Path root = DocPages.repositoryRoot();
		List<String> checked = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (Path page : DocPages.pages(root)) {
			String name = root.relativize(page).toString().replace('\\', '/');
			for (Snippet snippet : DocPages.snippets(page)) {
				if (!snippet.language().equals("xml") || !String.join("\n", snippet.lines()).contains("<dependency>")
						|| NOT_A_LIST.containsKey(name)) {
					continue;
				}
				String where = name + ":" + snippet.line();
				checked.add(where);
				Set<String> listed = dependencies(
						"<dependencies>" + String.join("\n", snippet.lines()) + "</dependencies>");
				Matcher exact = EXACT.matcher(snippet.lineBefore());
				Matcher adds = ADDS.matcher(snippet.lineBefore());
				if (exact.matches()) {
					Set<String> sample = sampleDependencies(root, exact.group(1));
					if (!listed.equals(sample)) {
						problems.add(where + " lists " + listed + " but " + exact.group(1) + " has " + sample);
					}
				}
				else if (adds.matches()) {
					Set<String> sample = sampleDependencies(root, adds.group(1));
					Set<String> expected = new LinkedHashSet<>(sampleDependencies(root, adds.group(2)));
					boolean overlaps = listed.stream().anyMatch(expected::contains);
					expected.addAll(listed);
					if (overlaps || !expected.equals(sample)) {
						problems.add(where + ": " + adds.group(2) + " + " + listed + " is not " + adds.group(1) + "'s "
								+ sample);
					}
				}
				else {
					problems.add(where + " has no '<!-- dependencies of samples/... -->' or "
							+ "'<!-- what samples/... adds to samples/... -->' line above it");
				}
			}
		}
		assertThat(checked).as("dependency lists found").hasSizeGreaterThanOrEqualTo(5);
		assertThat(problems).as("dependency lists that are no sample's").isEmpty();
	}

	private static Set<String> sampleDependencies(Path root, String sample) throws Exception {
		String pom = Files.readString(root.resolve(sample).resolve("pom.xml"), StandardCharsets.UTF_8);
		String dependencies = pom.substring(pom.indexOf("<dependencies>"),
				pom.indexOf("</dependencies>") + "</dependencies>".length());
		Set<String> all = dependencies(dependencies);
		all.removeIf((coordinates) -> coordinates.endsWith(":test"));
		return all;
	}

	/** {@code group:artifact:version:type:scope} of each dependency, as written. */
	private static Set<String> dependencies(String xml) throws Exception {
		Element list = DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
			.getDocumentElement();
		Set<String> coordinates = new LinkedHashSet<>();
		NodeList dependencies = list.getElementsByTagName("dependency");
		for (int i = 0; i < dependencies.getLength(); i++) {
			Element dependency = (Element) dependencies.item(i);
			coordinates.add(String.join(":", text(dependency, "groupId", null), text(dependency, "artifactId", null),
					text(dependency, "version", ""), text(dependency, "type", "jar"),
					text(dependency, "scope", "compile")));
		}
		return coordinates;
	}

	private static String text(Element dependency, String tag, String missing) throws IOException {
		NodeList nodes = dependency.getElementsByTagName(tag);
		if (nodes.getLength() == 0) {
			if (missing == null) {
				throw new IOException("a dependency without " + tag);
			}
			return missing;
		}
		return nodes.item(0).getTextContent().trim();
	}

}
