package io.github.sessiongate.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of PromQL that SessionGate's dashboard and alert rules use, parsed and
 * evaluated over two scrapes of an application's {@code /actuator/prometheus}: vector
 * selectors with label matchers, {@code rate} and {@code increase}, {@code sum},
 * {@code max}, {@code min} and {@code avg} with {@code by}, arithmetic and comparisons
 * between vectors with the same labels or with numbers. Anything else fails to parse, so
 * a query that grows beyond this subset is noticed, not silently skipped.
 *
 * <p>
 * {@code rate} is taken between the two scrapes (the range is read and ignored), and a
 * series missing from the earlier scrape has no rate, as in Prometheus.
 */
final class PromQl {

	/** Labels Prometheus adds to every series of a target when it scrapes it. */
	static final Set<String> TARGET_LABELS = Set.of("instance", "job");

	private static final Pattern TOKEN = Pattern
		.compile("\\s*(?:(?<num>\\d+(?:\\.\\d+)?)|(?<id>[a-zA-Z_:][a-zA-Z0-9_:]*)|(?<str>\"(?:[^\"\\\\]|\\\\.)*\")"
				+ "|(?<range>\\[[^\\]]*\\])|(?<op>=~|!~|!=|==|>=|<=|[(){},=<>+\\-*/]))");

	private static final Set<String> AGGREGATIONS = Set.of("sum", "max", "min", "avg");

	private final List<String> tokens = new ArrayList<>();

	private int position;

	private PromQl(String query) {
		Matcher matcher = TOKEN.matcher(query);
		int end = 0;
		while (end < query.length() && matcher.find(end) && matcher.start() == end) {
			this.tokens.add(matcher.group().trim());
			end = matcher.end();
		}
		if (!query.substring(end).isBlank()) {
			throw new IllegalArgumentException("Cannot read '" + query.substring(end) + "' in " + query);
		}
	}

	/**
	 * Parses a query.
	 * @param query the PromQL text
	 * @return the expression
	 * @throws IllegalArgumentException if the query is outside the subset
	 */
	static Expression parse(String query) {
		PromQl parser = new PromQl(query);
		Expression expression = parser.comparison();
		if (parser.position != parser.tokens.size()) {
			throw new IllegalArgumentException("Unexpected '" + parser.peek() + "' in " + query);
		}
		return expression;
	}

	private Expression comparison() {
		return binary(0);
	}

	/** Binary operators from the lowest precedence to the highest. */
	private static final String[][] OPERATORS = { { ">", "<", ">=", "<=", "==", "!=" }, { "+", "-" }, { "*", "/" } };

	private Expression binary(int level) {
		if (level == OPERATORS.length) {
			return primary();
		}
		Expression left = binary(level + 1);
		while (peekIn(OPERATORS[level])) {
			String op = next();
			left = new Binary(left, op, binary(level + 1));
		}
		return left;
	}

	private Expression primary() {
		String token = next();
		if (token.equals("(")) {
			Expression inner = comparison();
			expect(")");
			return inner;
		}
		if (Character.isDigit(token.charAt(0))) {
			return new NumberLiteral(Double.parseDouble(token));
		}
		if (AGGREGATIONS.contains(token)) {
			List<String> by = peekIn("by") ? labelList() : null;
			expect("(");
			Expression inner = comparison();
			expect(")");
			if (by == null && peekIn("by")) {
				by = labelList();
			}
			return new Aggregation(token, (by != null) ? by : List.of(), inner);
		}
		if ((token.equals("rate") || token.equals("increase")) && peekIn("(")) {
			expect("(");
			Selector selector = selector(next());
			expect(")");
			if (!selector.range()) {
				throw new IllegalArgumentException(token + " needs a range vector: " + selector.metric());
			}
			return new Rate(token.equals("rate"), selector);
		}
		if (Character.isLetter(token.charAt(0)) || token.charAt(0) == '_') {
			return selector(token);
		}
		throw new IllegalArgumentException("Unexpected '" + token + "'");
	}

	private Selector selector(String metric) {
		Map<String, String> equal = new LinkedHashMap<>();
		List<String> labels = new ArrayList<>();
		if (peekIn("{")) {
			next();
			while (!peekIn("}")) {
				String label = next();
				String op = next();
				String value = next();
				if (!value.startsWith("\"") || !Set.of("=", "!=", "=~", "!~").contains(op)) {
					throw new IllegalArgumentException("Bad matcher " + label + op + value);
				}
				labels.add(label);
				if (op.equals("=")) {
					equal.put(label, value.substring(1, value.length() - 1));
				}
				if (peekIn(",")) {
					next();
				}
			}
			expect("}");
		}
		boolean range = peek() != null && peek().startsWith("[");
		if (range) {
			next();
		}
		return new Selector(metric, equal, labels, range);
	}

	private List<String> labelList() {
		next();
		expect("(");
		List<String> labels = new ArrayList<>();
		while (!peekIn(")")) {
			labels.add(next());
			if (peekIn(",")) {
				next();
			}
		}
		expect(")");
		return labels;
	}

	private boolean peekIn(String... candidates) {
		String token = peek();
		for (String candidate : candidates) {
			if (candidate.equals(token)) {
				return true;
			}
		}
		return false;
	}

	private String peek() {
		return (this.position < this.tokens.size()) ? this.tokens.get(this.position) : null;
	}

	private String next() {
		if (this.position >= this.tokens.size()) {
			throw new IllegalArgumentException("Query ends too early");
		}
		return this.tokens.get(this.position++);
	}

	private void expect(String token) {
		String actual = next();
		if (!actual.equals(token)) {
			throw new IllegalArgumentException("Expected '" + token + "' but found '" + actual + "'");
		}
	}

	/** A series' labels (sorted, without the metric name) and its value. */
	record Series(Map<String, String> labels, double value) {
	}

	/**
	 * What a query reads: each metric with the labels it names (in matchers or in an
	 * enclosing {@code by}) and the values its {@code =} matchers require.
	 */
	record Reference(String metric, Map<String, String> requiredValues, Set<String> labels) {
	}

	/** A parsed query. */
	sealed interface Expression permits NumberLiteral, Selector, Rate, Aggregation, Binary {

		/**
		 * Evaluates the query at the later of two scrapes.
		 * @param before the earlier scrape
		 * @param now the later scrape
		 * @return the series (one with no labels for a number)
		 */
		List<Series> evaluate(Scrape before, Scrape now);

		/**
		 * The metrics the query reads and the labels it names.
		 * @param byLabels labels of the enclosing aggregations
		 * @param into where to add the references
		 */
		void references(Set<String> byLabels, List<Reference> into);

		default List<Reference> references() {
			List<Reference> references = new ArrayList<>();
			references(Set.of(), references);
			return references;
		}

	}

	record NumberLiteral(double value) implements Expression {

		@Override
		public List<Series> evaluate(Scrape before, Scrape now) {
			return List.of(new Series(Map.of(), this.value));
		}

		@Override
		public void references(Set<String> byLabels, List<Reference> into) {
		}

	}

	record Selector(String metric, Map<String, String> equalMatchers, List<String> matcherLabels,
			boolean range) implements Expression {

		@Override
		public List<Series> evaluate(Scrape before, Scrape now) {
			return now.series(this.metric).stream().filter(this::matches).toList();
		}

		boolean matches(Series series) {
			return this.equalMatchers.entrySet()
				.stream()
				.allMatch((matcher) -> matcher.getValue().equals(series.labels().get(matcher.getKey())));
		}

		@Override
		public void references(Set<String> byLabels, List<Reference> into) {
			Set<String> labels = new java.util.TreeSet<>(byLabels);
			labels.addAll(this.matcherLabels);
			into.add(new Reference(this.metric, this.equalMatchers, labels));
		}

	}

	record Rate(boolean perSecond, Selector selector) implements Expression {

		@Override
		public List<Series> evaluate(Scrape before, Scrape now) {
			double seconds = (now.timeMillis() - before.timeMillis()) / 1000.0;
			List<Series> earlier = this.selector.evaluate(before, before);
			List<Series> result = new ArrayList<>();
			for (Series series : this.selector.evaluate(before, now)) {
				earlier.stream().filter((e) -> e.labels().equals(series.labels())).findFirst().ifPresent((e) -> {
					double increase = Math.max(0, series.value() - e.value());
					result.add(new Series(series.labels(), this.perSecond ? increase / seconds : increase));
				});
			}
			return result;
		}

		@Override
		public void references(Set<String> byLabels, List<Reference> into) {
			this.selector.references(byLabels, into);
		}

	}

	record Aggregation(String function, List<String> by, Expression inner) implements Expression {

		@Override
		public List<Series> evaluate(Scrape before, Scrape now) {
			Map<Map<String, String>, List<Double>> groups = new LinkedHashMap<>();
			for (Series series : this.inner.evaluate(before, now)) {
				Map<String, String> key = new TreeMap<>();
				for (String label : this.by) {
					if (series.labels().containsKey(label)) {
						key.put(label, series.labels().get(label));
					}
				}
				groups.computeIfAbsent(key, (k) -> new ArrayList<>()).add(series.value());
			}
			List<Series> result = new ArrayList<>();
			groups.forEach((labels, values) -> result.add(new Series(labels, aggregate(values))));
			return result;
		}

		private double aggregate(List<Double> values) {
			return switch (this.function) {
				case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
				case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
				case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
				default -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
			};
		}

		@Override
		public void references(Set<String> byLabels, List<Reference> into) {
			Set<String> labels = new java.util.TreeSet<>(byLabels);
			labels.addAll(this.by);
			this.inner.references(labels, into);
		}

	}

	record Binary(Expression left, String op, Expression right) implements Expression {

		@Override
		public List<Series> evaluate(Scrape before, Scrape now) {
			List<Series> lefts = this.left.evaluate(before, now);
			List<Series> rights = this.right.evaluate(before, now);
			boolean leftNumber = this.left instanceof NumberLiteral;
			boolean rightNumber = this.right instanceof NumberLiteral;
			List<Series> result = new ArrayList<>();
			for (Series l : lefts) {
				for (Series r : rights) {
					if (leftNumber || rightNumber || l.labels().equals(r.labels())) {
						Series series = apply(l, r, rightNumber ? l.labels() : r.labels());
						if (series != null) {
							result.add(series);
						}
					}
				}
			}
			return result;
		}

		private Series apply(Series l, Series r, Map<String, String> labels) {
			DoubleBinaryOperator arithmetic = switch (this.op) {
				case "+" -> Double::sum;
				case "-" -> (a, b) -> a - b;
				case "*" -> (a, b) -> a * b;
				case "/" -> (a, b) -> a / b;
				default -> null;
			};
			if (arithmetic != null) {
				return new Series(labels, arithmetic.applyAsDouble(l.value(), r.value()));
			}
			boolean keep = switch (this.op) {
				case ">" -> l.value() > r.value();
				case "<" -> l.value() < r.value();
				case ">=" -> l.value() >= r.value();
				case "<=" -> l.value() <= r.value();
				case "==" -> l.value() == r.value();
				default -> l.value() != r.value();
			};
			// a comparison filters: it keeps the left side's value
			return keep ? new Series(labels, l.value()) : null;
		}

		@Override
		public void references(Set<String> byLabels, List<Reference> into) {
			this.left.references(byLabels, into);
			this.right.references(byLabels, into);
		}

	}

}
