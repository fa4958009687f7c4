package io.github.sessiongate.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * One of the ledger's Lua scripts: its text (with the shared helpers prepended) and SHA-1
 * digest. Runs with {@code EVALSHA} and falls back to {@code EVAL} (which also caches the
 * script on that server) when the server answers {@code NOSCRIPT}, e.g. after a restart,
 * a failover or on a cluster node that has not seen it yet.
 * <p>
 * A script reads its arguments by name ({@code named()} in {@code common.lua}). By
 * default they travel as name/value pairs. A script run on every request instead
 * {@linkplain #load(List, String, String...) declares its parameters}: only the values
 * travel, in the declared order, and the script gets a {@code named()} generated from the
 * declaration, so the names live in one place (the declaration in {@link RedisScripts})
 * and neither the wire nor Redis carries or parses them.
 *
 * @author SessionGate team
 */
final class LuaScript {

	private static final String COMMON = read("common");

	private final String name;

	private final byte[] body;

	private final String sha;

	private final @Nullable List<byte[]> parameters;

	private LuaScript(String name, String text, @Nullable List<byte[]> parameters) {
		this.name = name;
		this.body = text.getBytes(StandardCharsets.UTF_8);
		this.sha = sha1(this.body);
		this.parameters = parameters;
	}

	/**
	 * Loads a script.
	 * @param name the script's file name without {@code .lua}
	 * @param helpers files of helper functions the script calls, put before it (the
	 * common helpers always come first)
	 * @return the script
	 */
	static LuaScript load(String name, String... helpers) {
		return new LuaScript(name, text(name, "", helpers), null);
	}

	/**
	 * Loads a script that declares its parameters: its arguments are their values in this
	 * order, then the optional list.
	 * @param parameters the names the script reads with {@code named()}
	 * @param name the script's file name without {@code .lua}
	 * @param helpers files of helper functions the script calls
	 * @return the script
	 */
	static LuaScript load(List<String> parameters, String name, String... helpers) {
		StringBuilder named = new StringBuilder("-- the declared parameters (RedisScripts), in ARGV order\n")
			.append("local function named()\n\treturn { ");
		for (int i = 0; i < parameters.size(); i++) {
			String parameter = parameters.get(i);
			if (!parameter.matches("[a-zA-Z][a-zA-Z0-9]*")) {
				throw new IllegalArgumentException("Not a parameter name: " + parameter);
			}
			named.append(parameter).append(" = ARGV[").append(i + 1).append("], ");
		}
		named.append("}, ").append(parameters.size() + 1).append("\nend\n");
		List<byte[]> names = parameters.stream().map(ScriptArgs::name).toList();
		return new LuaScript(name, text(name, named.toString(), helpers), names);
	}

	private static String text(String name, String prologue, String... helpers) {
		StringBuilder text = new StringBuilder(COMMON).append('\n').append(prologue);
		for (String helper : helpers) {
			text.append(read(helper)).append('\n');
		}
		return text.append(read(name)).toString();
	}

	String name() {
		return this.name;
	}

	String sha() {
		return this.sha;
	}

	/**
	 * The arguments of one run, as this script reads them.
	 * @param args the named arguments (for a script that declares its parameters: a value
	 * for each of them and nothing else)
	 * @return the script's ARGV
	 */
	byte[][] arguments(ScriptArgs args) {
		return (this.parameters != null) ? args.toArray(this.parameters, this.name) : args.toArray();
	}

	/**
	 * Runs the script.
	 * @param connection the connection
	 * @param keys the keys (all in one hash slot)
	 * @param args the arguments
	 * @return the script's reply: name/value pairs
	 */
	ScriptReply run(RedisConnection connection, byte[][] keys, byte[][] args) {
		byte[][] keysAndArgs = new byte[keys.length + args.length][];
		System.arraycopy(keys, 0, keysAndArgs, 0, keys.length);
		System.arraycopy(args, 0, keysAndArgs, keys.length, args.length);
		List<Object> reply;
		try {
			reply = connection.scriptingCommands().evalSha(this.sha, ReturnType.MULTI, keys.length, keysAndArgs);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			reply = connection.scriptingCommands().eval(this.body, ReturnType.MULTI, keys.length, keysAndArgs);
		}
		if (reply == null) {
			throw new IllegalStateException("Script " + this.name + " returned nothing");
		}
		return ScriptReply.of(reply);
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && message.contains("NOSCRIPT")) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static String read(String name) {
		String resource = name + ".lua";
		try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Lua script not found: " + resource);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read Lua script " + resource, ex);
		}
	}

	private static String sha1(byte[] body) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required by every Java platform", ex);
		}
	}

	@Override
	public String toString() {
		return "LuaScript[" + this.name + "]";
	}

}
