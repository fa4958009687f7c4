package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A script's reply, read by name: every script answers with name/value pairs. Only
 * {@link RedisScripts} reads them, into the typed replies of its entry points.
 *
 * @author SessionGate team
 */
final class ScriptReply {

	private final Map<String, Object> fields;

	private ScriptReply(Map<String, Object> fields) {
		this.fields = fields;
	}

	static ScriptReply of(List<Object> pairs) {
		if (pairs.size() % 2 != 0) {
			throw new IllegalStateException("A script replied with an odd number of items: " + pairs.size());
		}
		Map<String, Object> fields = new HashMap<>(pairs.size());
		for (int i = 0; i < pairs.size(); i += 2) {
			fields.put(text(pairs.get(i)), pairs.get(i + 1));
		}
		return new ScriptReply(fields);
	}

	/** The {@code kind} of a reply that has several shapes. */
	String kind() {
		return string("kind");
	}

	boolean has(String name) {
		return this.fields.containsKey(name);
	}

	String string(String name) {
		return text(required(name));
	}

	long number(String name) {
		Object value = required(name);
		return (value instanceof Number number) ? number.longValue() : Long.parseLong(text(value));
	}

	boolean flag(String name) {
		return number(name) == 1;
	}

	@SuppressWarnings("unchecked")
	List<Object> list(String name) {
		Object value = required(name);
		if (value instanceof List<?> list) {
			return (List<Object>) list;
		}
		throw new IllegalStateException("Script reply field '" + name + "' is not a list: " + value);
	}

	private Object required(String name) {
		Object value = this.fields.get(name);
		if (value == null) {
			throw new IllegalStateException(
					"Script reply has no field '" + name + "' (has " + this.fields.keySet() + ")");
		}
		return value;
	}

	static String text(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(value);
	}

}
