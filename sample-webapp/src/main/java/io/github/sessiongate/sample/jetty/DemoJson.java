package io.github.sessiongate.sample.jetty;

import java.util.Map;
import java.util.TreeMap;

/**
 * Writes flat JSON objects of strings for the demo's endpoints (numbers-looking values
 * are written as numbers).
 */
final class DemoJson {

	private DemoJson() {
	}

	static String object(Map<String, String> fields) {
		StringBuilder json = new StringBuilder("{");
		boolean first = true;
		for (Map.Entry<String, String> field : new TreeMap<>(fields).entrySet()) {
			json.append(first ? "" : ",");
			string(json, field.getKey());
			json.append(':');
			String value = field.getValue();
			if (value.equals("null") || value.matches("-?\\d{1,18}")) {
				json.append(value);
			}
			else {
				string(json, value);
			}
			first = false;
		}
		return json.append('}').toString();
	}

	private static void string(StringBuilder json, String value) {
		json.append('"');
		for (char c : value.toCharArray()) {
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		json.append('"');
	}

}
