package io.github.sessiongate.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table in Markdown syntax, so the output pastes into
 * {@code docs/benchmarks.md} as is. <pre>{@code
 * Table table = new Table("variant", "requests/s");
 * table.row("(1) no filter", "12345");
 * table.print(System.out);
 * }</pre>
 */
public final class Table {

	private final String[] header;

	private final List<String[]> rows = new ArrayList<>();

	/**
	 * Creates a table.
	 * @param header the column titles
	 */
	public Table(String... header) {
		this.header = header.clone();
	}

	/**
	 * Adds a row.
	 * @param cells one value per column
	 * @return this table
	 */
	public Table row(Object... cells) {
		if (cells.length != this.header.length) {
			throw new IllegalArgumentException(
					"expected " + this.header.length + " cells, got " + cells.length + ": " + Arrays.toString(cells));
		}
		String[] text = new String[cells.length];
		for (int i = 0; i < cells.length; i++) {
			text[i] = String.valueOf(cells[i]);
		}
		this.rows.add(text);
		return this;
	}

	/**
	 * Prints the table with aligned columns.
	 * @param out where to print
	 */
	public void print(PrintStream out) {
		int[] widths = new int[this.header.length];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = Math.max(3, this.header[i].length());
			for (String[] row : this.rows) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		line(out, this.header, widths);
		StringBuilder rule = new StringBuilder("|");
		for (int width : widths) {
			rule.append(' ').append("-".repeat(width)).append(" |");
		}
		out.println(rule);
		for (String[] row : this.rows) {
			line(out, row, widths);
		}
		out.println();
	}

	private static void line(PrintStream out, String[] cells, int[] widths) {
		StringBuilder line = new StringBuilder("|");
		for (int i = 0; i < cells.length; i++) {
			line.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
		}
		out.println(line);
	}

	/**
	 * Formats a number with thousands separators and no decimals.
	 * @param value the value
	 * @return e.g. {@code 12,345}
	 */
	public static String integer(double value) {
		return String.format("%,.0f", value);
	}

	/**
	 * Formats a number with two decimals.
	 * @param value the value
	 * @return e.g. {@code 0.97}
	 */
	public static String decimal(double value) {
		return String.format("%.2f", value);
	}

	/**
	 * The median of some values (the mean of the middle two for an even count).
	 * @param values the values, not empty
	 * @return the median
	 */
	public static double median(double[] values) {
		if (values.length == 0) {
			return Double.NaN;
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
