package io.github.sessiongate.internal.json;

/**
 * The little JSON writing SessionGate needs (problem bodies, event log lines), without a
 * JSON library. Internal: not part of the supported API.
 *
 * @author SessionGate team
 */
public final class Json {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private Json() {
	}

	/**
	 * Appends a JSON string literal.
	 * @param out the target
	 * @param value the string
	 */
	public static void appendString(StringBuilder out, String value) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || c == 0x2028 || c == 0x2029) {
						out.append("\\u00").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
