package io.github.sessiongate.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * One of the ledger's Lua scripts: its text (with the shared helpers prepended) and SHA-1
 * digest. Runs with {@code EVALSHA} and falls back to {@code EVAL} (which also caches the
 * script on that server) when the server answers {@code NOSCRIPT}, e.g. after a restart,
 * a failover or on a cluster node that has not seen it yet.
 *
 * @author SessionGate team
 */
final class LuaScript {

	private static final String COMMON = read("common");

	private final String name;

	private final byte[] body;

	private final String sha;

	private LuaScript(String name, String text) {
		this.name = name;
		this.body = text.getBytes(StandardCharsets.UTF_8);
		this.sha = sha1(this.body);
	}

	/**
	 * Loads a script.
	 * @param name the script's file name without {@code .lua}
	 * @param helpers files of helper functions the script calls, put before it (the
	 * common helpers always come first)
	 * @return the script
	 */
	static LuaScript load(String name, String... helpers) {
		StringBuilder text = new StringBuilder(COMMON).append('\n');
		for (String helper : helpers) {
			text.append(read(helper)).append('\n');
		}
		return new LuaScript(name, text.append(read(name)).toString());
	}

	String name() {
		return this.name;
	}

	String sha() {
		return this.sha;
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
