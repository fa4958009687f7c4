package io.github.sessiongate.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sessiongate.sample.PromQl.Series;

/**
 * One scrape of a Prometheus text exposition, as Prometheus stores it: every series with
 * the target's {@code instance} and {@code job} labels added.
 *
 * @param timeMillis when it was taken
 * @param metrics the series of each metric name
 */
record Scrape(long timeMillis, Map<String, List<Series>> metrics) {

	private static final Pattern SAMPLE = Pattern
		.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\d+)?$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	static Scrape parse(String exposition, long timeMillis, String instance, String job) {
		Map<String, List<Series>> metrics = new LinkedHashMap<>();
		for (String line : exposition.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher sample = SAMPLE.matcher(line.trim());
			if (!sample.matches()) {
				throw new IllegalArgumentException("Not a sample line: " + line);
			}
			Map<String, String> labels = new TreeMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			labels.put("instance", instance);
			labels.put("job", job);
			metrics.computeIfAbsent(sample.group(1), (name) -> new ArrayList<>())
				.add(new Series(labels, value(sample.group(3))));
		}
		return new Scrape(timeMillis, metrics);
	}

	private static double value(String text) {
		return switch (text) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(text);
		};
	}

	List<Series> series(String metric) {
		return this.metrics.getOrDefault(metric, List.of());
	}

}
