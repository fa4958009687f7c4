package io.github.sessiongate.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sessiongate.sample.PromQl.Series;
import tools.jackson.databind.JsonNode;

/**
 * Draws a Grafana dashboard's panels as one HTML page (inline SVG, no scripts) from a
 * timeline of scrapes: each panel's queries evaluated at every scrape, as Grafana would
 * show them from a Prometheus that had scraped the app at those moments. Time series
 * panels draw one line per series, named by the target's {@code legendFormat}; stat
 * panels show the last value.
 */
final class DashboardPreview {

	private static final String[] COLORS = { "#73bf69", "#f2cc0c", "#5794f2", "#ff9830", "#f2495c", "#b877d9",
			"#8ab8ff", "#fade2a" };

	private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

	private static final int ROW_HEIGHT = 22;

	private DashboardPreview() {
	}

	/**
	 * One line of a panel: its name and its value at each scrape (NaN: no value).
	 *
	 * @param name the legend
	 * @param values one per scrape
	 */
	record Line(String name, double[] values) {

		boolean hasValue() {
			for (double value : this.values) {
				if (!Double.isNaN(value)) {
					return true;
				}
			}
			return false;
		}

	}

	/**
	 * Evaluates a panel's queries at every scrape after the first.
	 * @param panel the panel's JSON
	 * @param timeline the scrapes, oldest first
	 * @return its lines
	 */
	static List<Line> lines(JsonNode panel, List<Scrape> timeline) {
		Map<String, double[]> lines = new LinkedHashMap<>();
		int points = timeline.size() - 1;
		for (JsonNode target : panel.get("targets")) {
			PromQl.Expression query = PromQl.parse(target.get("expr").asString());
			String legend = target.path("legendFormat").asString("");
			for (int i = 0; i < points; i++) {
				for (Series series : query.evaluate(timeline.get(i), timeline.get(i + 1))) {
					String name = legend(legend, series.labels());
					double[] values = lines.computeIfAbsent(name, (n) -> nans(points));
					values[i] = series.value();
				}
			}
		}
		List<Line> result = new ArrayList<>();
		lines.forEach((name, values) -> result.add(new Line(name, values)));
		return result;
	}

	/**
	 * Renders the dashboard.
	 * @param dashboard the dashboard's JSON
	 * @param timeline the scrapes, oldest first
	 * @param caption what the data is
	 * @return the HTML page
	 */
	static String render(JsonNode dashboard, List<Scrape> timeline, String caption) {
		StringBuilder html = new StringBuilder();
		html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>")
			.append("body{margin:0;padding:12px;background:#111217;color:#ccccdc;font:13px Inter,Helvetica,Arial,sans-serif}")
			.append("h1{font-size:18px;margin:0 0 4px}p.caption{margin:0 0 10px;color:#8e8e9e}")
			.append(".grid{display:grid;grid-template-columns:repeat(24,1fr);grid-auto-rows:" + ROW_HEIGHT
					+ "px;gap:8px}")
			.append(".panel{background:#181b1f;border:1px solid #2c3235;border-radius:2px;padding:6px 8px;overflow:hidden;display:flex;flex-direction:column}")
			.append(".title{font-weight:500;margin-bottom:4px}.stat{flex:1;display:flex;align-items:center;justify-content:center;font-size:34px;font-weight:500;color:#73bf69}")
			.append(".legend{font-size:11px}.legend span{margin-right:12px;white-space:nowrap}svg{flex:1;width:100%}")
			.append("</style></head><body><h1>")
			.append(escape(dashboard.get("title").asString()))
			.append("</h1><p class=\"caption\">")
			.append(escape(caption))
			.append("</p><div class=\"grid\">");
		double seconds = (timeline.get(timeline.size() - 1).timeMillis() - timeline.get(0).timeMillis()) / 1000.0;
		for (JsonNode panel : dashboard.get("panels")) {
			JsonNode grid = panel.get("gridPos");
			html.append("<div class=\"panel\" style=\"grid-column:")
				.append(grid.get("x").asInt() + 1)
				.append(" / span ")
				.append(grid.get("w").asInt())
				.append(";grid-row:")
				.append(grid.get("y").asInt() + 1)
				.append(" / span ")
				.append(grid.get("h").asInt())
				.append("\"><div class=\"title\">")
				.append(escape(panel.get("title").asString()))
				.append("</div>");
			String unit = panel.path("fieldConfig").path("defaults").path("unit").asString("short");
			List<Line> lines = lines(panel, timeline);
			if ("stat".equals(panel.get("type").asString())) {
				html.append("<div class=\"stat\">").append(format(last(lines), unit)).append("</div>");
				sparkline(html, lines);
			}
			else {
				chart(html, lines, unit, seconds);
			}
			html.append("</div>");
		}
		return html.append("</div></body></html>").toString();
	}

	private static void chart(StringBuilder html, List<Line> lines, String unit, double seconds) {
		int width = 560;
		int height = 170;
		int left = 58;
		double max = 0;
		int points = 0;
		for (Line line : lines) {
			points = line.values().length;
			for (double value : line.values()) {
				if (Double.isFinite(value)) {
					max = Math.max(max, value);
				}
			}
		}
		max = (max == 0) ? 1 : max * 1.1;
		html.append("<svg viewBox=\"0 -8 ")
			.append(width)
			.append(' ')
			.append(height + 24)
			.append("\" preserveAspectRatio=\"none\">");
		for (int i = 0; i <= 4; i++) {
			double y = height - height * i / 4.0;
			html.append(String
				.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#2c3235\"/>"
						+ "<text x=\"%d\" y=\"%.1f\" fill=\"#8e8e9e\" font-size=\"10\" text-anchor=\"end\">%s</text>",
						left, width, y, y, left - 4, y + 3, escape(format(max * i / 4, unit))));
		}
		html.append(String.format(Locale.ROOT,
				"<text x=\"%d\" y=\"%d\" fill=\"#8e8e9e\" font-size=\"10\">0 s</text>"
						+ "<text x=\"%d\" y=\"%d\" fill=\"#8e8e9e\" font-size=\"10\" text-anchor=\"end\">%.0f s</text>",
				left, height + 13, width, height + 13, seconds));
		StringBuilder legend = new StringBuilder("<div class=\"legend\">");
		int color = 0;
		for (Line line : lines) {
			String stroke = COLORS[color++ % COLORS.length];
			StringBuilder path = new StringBuilder();
			for (int i = 0; i < points; i++) {
				double value = line.values()[i];
				if (!Double.isFinite(value)) {
					continue;
				}
				double x = left + (width - left) * ((points == 1) ? 1.0 : i / (double) (points - 1));
				double y = height - height * value / max;
				path.append((path.isEmpty() || !Double.isFinite(line.values()[i - 1])) ? 'M' : 'L')
					.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
			}
			html.append("<path d=\"")
				.append(path)
				.append("\" fill=\"none\" stroke-width=\"2\" stroke=\"")
				.append(stroke)
				.append("\"/>");
			legend.append("<span style=\"color:")
				.append(stroke)
				.append("\">&#9644;</span><span>")
				.append(escape(line.name()))
				.append("</span>");
		}
		html.append("</svg>").append(legend).append("</div>");
	}

	/** The stat panel's {@code graphMode: area}: the sum of its lines, small. */
	private static void sparkline(StringBuilder html, List<Line> lines) {
		int points = lines.isEmpty() ? 0 : lines.get(0).values().length;
		double[] sums = new double[points];
		double max = 0;
		for (int i = 0; i < points; i++) {
			for (Line line : lines) {
				sums[i] += Double.isFinite(line.values()[i]) ? line.values()[i] : 0;
			}
			max = Math.max(max, sums[i]);
		}
		StringBuilder path = new StringBuilder("M0,30 ");
		for (int i = 0; i < points; i++) {
			path.append(String.format(Locale.ROOT, "L%.1f,%.1f ", 300.0 * i / Math.max(1, points - 1),
					30 - 28 * sums[i] / ((max == 0) ? 1 : max)));
		}
		html.append("<svg viewBox=\"0 0 300 30\" preserveAspectRatio=\"none\" style=\"flex:0 0 22px\"><path d=\"")
			.append(path)
			.append("L300,30 Z\" fill=\"#73bf6933\" stroke=\"#73bf69\"/></svg>");
	}

	private static double last(List<Line> lines) {
		double sum = Double.NaN;
		for (Line line : lines) {
			for (int i = line.values().length - 1; i >= 0; i--) {
				if (!Double.isNaN(line.values()[i])) {
					sum = Double.isNaN(sum) ? line.values()[i] : sum + line.values()[i];
					break;
				}
			}
		}
		return sum;
	}

	private static String format(double value, String unit) {
		if (Double.isNaN(value)) {
			return "No data";
		}
		return switch (unit) {
			case "percentunit" -> String.format(Locale.ROOT, "%.1f%%", value * 100);
			case "reqps" -> String.format(Locale.ROOT, "%.2f req/s", value);
			case "ops" -> String.format(Locale.ROOT, "%.2f/s", value);
			case "s" -> (value < 1) ? String.format(Locale.ROOT, "%.0f ms", value * 1000)
					: String.format(Locale.ROOT, "%.2f s", value);
			default -> (value == Math.rint(value)) ? String.format(Locale.ROOT, "%.0f", value)
					: String.format(Locale.ROOT, "%.2f", value);
		};
	}

	private static String legend(String format, Map<String, String> labels) {
		if (format.isEmpty()) {
			return labels.toString();
		}
		Matcher matcher = LEGEND_LABEL.matcher(format);
		StringBuilder name = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(name, Matcher.quoteReplacement(labels.getOrDefault(matcher.group(1), "")));
		}
		return matcher.appendTail(name).toString();
	}

	private static double[] nans(int length) {
		double[] values = new double[length];
		java.util.Arrays.fill(values, Double.NaN);
		return values;
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
