package io.github.sessiongate.benchmarks.http;

import jakarta.servlet.Filter;
import org.jspecify.annotations.Nullable;

/**
 * One configuration under test.
 *
 * @param number the number used in the docs, 1 to 6
 * @param label what it is
 * @param filter the filter in front of the handler, {@code null} for none
 * @param redis whether its requests reach Redis
 */
record Variant(int number, String label, @Nullable Filter filter, boolean redis) {

	String path() {
		return "/v" + this.number + "/";
	}

	String name() {
		return "(" + this.number + ") " + this.label;
	}

}
