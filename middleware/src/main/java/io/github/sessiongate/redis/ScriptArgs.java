package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The arguments of one script run, as the scripts read them (the {@code named()} helper
 * of {@code common.lua}): the number of name/value pairs, the pairs, then an optional
 * list. Only {@link RedisScripts} writes them.
 *
 * @author SessionGate team
 */
final class ScriptArgs {

	/** Argument names are few and fixed: encode each once. */
	private static final Map<String, byte[]> NAMES = new ConcurrentHashMap<>();

	private final List<byte[]> named = new ArrayList<>(32);

	private final List<byte[]> list = new ArrayList<>();

	ScriptArgs put(String name, String value) {
		this.named.add(NAMES.computeIfAbsent(name, ScriptArgs::bytes));
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

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
