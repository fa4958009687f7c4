package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The arguments of one script run, as the scripts read them (the {@code named()} helper
 * of {@code common.lua}): the number of name/value pairs, the pairs, then an optional
 * list; for a script that declares its parameters, only the values in the declared order,
 * then the list (see {@link LuaScript}). Only {@link RedisScripts} writes them.
 *
 * @author SessionGate team
 */
final class ScriptArgs {

	/** Argument names are few and fixed: encode each once. */
	private static final Map<String, byte[]> NAMES = new ConcurrentHashMap<>();

	private final List<byte[]> named = new ArrayList<>(32);

	private final List<byte[]> list = new ArrayList<>();

	ScriptArgs put(String name, String value) {
		this.named.add(name(name));
		this.named.add(bytes(value));
		return this;
	}

	ScriptArgs put(String name, long value) {
		return put(name, Long.toString(value));
	}

	ScriptArgs put(String name, boolean value) {
		return put(name, value ? "1" : "0");
	}

	/** Appends an item to the list that follows the named arguments. */
	ScriptArgs add(byte[] item) {
		this.list.add(item);
		return this;
	}

	ScriptArgs add(String item) {
		return add(bytes(item));
	}

	ScriptArgs addAll(List<byte[]> items) {
		this.list.addAll(items);
		return this;
	}

	byte[][] toArray() {
		byte[][] args = new byte[1 + this.named.size() + this.list.size()][];
		args[0] = bytes(Integer.toString(this.named.size() / 2));
		int at = 1;
		for (byte[] item : this.named) {
			args[at++] = item;
		}
		for (byte[] item : this.list) {
			args[at++] = item;
		}
		return args;
	}

	/**
	 * The arguments of a script that declares its parameters: their values in the
	 * declared order, then the list.
	 * @param parameters the declared names (from {@link #name(String)})
	 * @param script the script's name, for the error
	 * @throws IllegalArgumentException when a parameter has no value or a value no
	 * parameter (a programming error: the declaration and the record that writes the
	 * arguments disagree)
	 */
	byte[][] toArray(List<byte[]> parameters, String script) {
		int count = parameters.size();
		byte[][] args = new byte[count + this.list.size()][];
		for (int i = 0; i < this.named.size(); i += 2) {
			byte[] name = this.named.get(i);
			int at = indexOf(parameters, name);
			if (at < 0 || args[at] != null) {
				throw new IllegalArgumentException(
						"Script " + script + " has no parameter " + string(name) + " (or it was given twice)");
			}
			args[at] = this.named.get(i + 1);
		}
		for (int i = 0; i < count; i++) {
			if (args[i] == null) {
				throw new IllegalArgumentException(
						"Script " + script + " needs a value for " + string(parameters.get(i)));
			}
		}
		int at = count;
		for (byte[] item : this.list) {
			args[at++] = item;
		}
		return args;
	}

	private static int indexOf(List<byte[]> parameters, byte[] name) {
		// names are the cached arrays of name(): compare by identity
		for (int i = 0; i < parameters.size(); i++) {
			if (parameters.get(i) == name) {
				return i;
			}
		}
		return -1;
	}

	/** An argument name, encoded once. */
	static byte[] name(String name) {
		return NAMES.computeIfAbsent(name, ScriptArgs::bytes);
	}

	private static String string(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
