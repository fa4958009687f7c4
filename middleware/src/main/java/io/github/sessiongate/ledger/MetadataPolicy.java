package io.github.sessiongate.ledger;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Which of the application's {@code SessionContext} metadata a session keeps in the
 * ledger, and how much of it: only the keys listed here, each value cut to
 * {@link #maxValueLength()} characters with control characters dropped; a blank value
 * removes the key from what the session keeps. Nothing is kept by default
 * ({@link #none()}). <pre>{@code
 * SessionGate.builder(sessions).keptMetadata(MetadataPolicy.keep("plan", "region"))
 * }</pre>
 *
 * <p>
 * The bounds are fixed when the policy is built: at most {@value #MAX_KEYS} keys, each 1
 * to {@value #MAX_KEY_LENGTH} of {@code A-Z a-z 0-9 . _ -}, values at most
 * {@value #MAX_VALUE_LENGTH} characters; anything else is refused with an
 * {@link IllegalArgumentException} naming the bad key or length. A ledger refuses
 * ({@link #requireWithinBounds}) metadata beyond those bounds however it is called, so no
 * store write is ever larger.
 *
 * @author SessionGate team
 */
public final class MetadataPolicy {

	/** The most keys a policy lists (so the most entries a session keeps). */
	public static final int MAX_KEYS = 16;

	/** The longest key. */
	public static final int MAX_KEY_LENGTH = 64;

	/** The longest value a policy may allow. */
	public static final int MAX_VALUE_LENGTH = 1024;

	/** The value length a policy allows unless told otherwise. */
	public static final int DEFAULT_MAX_VALUE_LENGTH = 128;

	private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_KEY_LENGTH + "}");

	private static final MetadataPolicy NONE = new MetadataPolicy(List.of(), DEFAULT_MAX_VALUE_LENGTH);

	private final List<String> keys;

	private final int maxValueLength;

	private MetadataPolicy(List<String> keys, int maxValueLength) {
		this.keys = keys;
		this.maxValueLength = maxValueLength;
	}

	/**
	 * Keeps no metadata (the default).
	 * @return the policy
	 */
	public static MetadataPolicy none() {
		return NONE;
	}

	/**
	 * Keeps the listed keys, values cut to {@value #DEFAULT_MAX_VALUE_LENGTH} characters.
	 * @param keys the keys, 1 to {@value #MAX_KEYS} of them
	 * @return the policy
	 * @throws IllegalArgumentException for a malformed or repeated key, or too many
	 */
	public static MetadataPolicy keep(String... keys) {
		return keep(Arrays.asList(keys));
	}

	/**
	 * Keeps the listed keys, values cut to {@value #DEFAULT_MAX_VALUE_LENGTH} characters;
	 * an empty list keeps nothing.
	 * @param keys the keys, at most {@value #MAX_KEYS}
	 * @return the policy
	 * @throws IllegalArgumentException for a malformed or repeated key, or too many
	 */
	public static MetadataPolicy keep(Collection<String> keys) {
		Objects.requireNonNull(keys, "keys cannot be null");
		if (keys.size() > MAX_KEYS) {
			throw new IllegalArgumentException(
					"at most " + MAX_KEYS + " metadata keys can be kept, " + keys.size() + " were listed");
		}
		for (String key : keys) {
			requireKey(key);
		}
		if (keys.stream().distinct().count() != keys.size()) {
			throw new IllegalArgumentException("metadata keys must not repeat, were " + keys);
		}
		return keys.isEmpty() ? NONE : new MetadataPolicy(List.copyOf(keys), DEFAULT_MAX_VALUE_LENGTH);
	}

	/**
	 * This policy with another value length.
	 * @param maxValueLength 1 to {@value #MAX_VALUE_LENGTH}
	 * @return the policy
	 * @throws IllegalArgumentException for a length out of that range
	 */
	public MetadataPolicy withMaxValueLength(int maxValueLength) {
		if (maxValueLength < 1 || maxValueLength > MAX_VALUE_LENGTH) {
			throw new IllegalArgumentException(
					"maxValueLength must be 1 to " + MAX_VALUE_LENGTH + ", was " + maxValueLength);
		}
		return new MetadataPolicy(this.keys, maxValueLength);
	}

	/**
	 * The keys kept, in the order listed.
	 * @return the keys, possibly empty
	 */
	public List<String> keys() {
		return this.keys;
	}

	/**
	 * The longest value kept.
	 * @return the length in characters
	 */
	public int maxValueLength() {
		return this.maxValueLength;
	}

	/**
	 * Whether this policy keeps anything.
	 * @return {@code false} for {@link #none()}
	 */
	public boolean keepsAny() {
		return !this.keys.isEmpty();
	}

	/**
	 * What a session keeps of some metadata: the listed keys that are present, in the
	 * order listed, each value cut and cleaned; a blank value becomes {@code ""}, which
	 * removes the key from what the session keeps. Keys not present leave what the
	 * session keeps for them as it is.
	 * @param metadata the application's metadata (any size, any content)
	 * @return the entries to record, unmodifiable, possibly empty
	 */
	public Map<String, String> apply(Map<String, String> metadata) {
		if (this.keys.isEmpty() || metadata.isEmpty()) {
			return Map.of();
		}
		Map<String, String> kept = null;
		for (String key : this.keys) {
			String value = metadata.get(key);
			if (value != null) {
				if (kept == null) {
					kept = new LinkedHashMap<>();
				}
				String bounded = SessionOrigin.bounded(value, this.maxValueLength);
				kept.put(key, (bounded != null) ? bounded : "");
			}
		}
		return (kept != null) ? Collections.unmodifiableMap(kept) : Map.of();
	}

	/**
	 * Refuses metadata beyond the bounds any policy can give: more than
	 * {@value #MAX_KEYS} entries, a malformed key, a value longer than
	 * {@value #MAX_VALUE_LENGTH} or with control characters ({@code ""} is a removal).
	 * Ledgers call it before they store anything, and refuse a result of more than
	 * {@value #MAX_KEYS} entries.
	 * @param metadata the metadata to store
	 * @throws IllegalArgumentException naming what is out of bounds
	 */
	public static void requireWithinBounds(Map<String, String> metadata) {
		Objects.requireNonNull(metadata, "metadata cannot be null");
		if (metadata.size() > MAX_KEYS) {
			throw new IllegalArgumentException(
					"at most " + MAX_KEYS + " metadata entries can be kept, got " + metadata.size());
		}
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			requireKey(entry.getKey());
			String value = entry.getValue();
			if (value == null || value.length() > MAX_VALUE_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
				throw new IllegalArgumentException("metadata value of '" + entry.getKey() + "' must be at most "
						+ MAX_VALUE_LENGTH + " characters without control characters");
			}
		}
	}

	private static void requireKey(@Nullable String key) {
		if (key == null || !KEY.matcher(key).matches()) {
			throw new IllegalArgumentException("metadata key must be 1 to " + MAX_KEY_LENGTH
					+ " of A-Z a-z 0-9 . _ -, was " + ((key != null) ? "'" + abbreviated(key) + "'" : "null"));
		}
	}

	private static String abbreviated(String key) {
		String shown = (key.length() > MAX_KEY_LENGTH) ? key.substring(0, MAX_KEY_LENGTH) + "..." : key;
		return shown.codePoints()
			.map((c) -> Character.isISOControl(c) ? '?' : c)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
	}

	@Override
	public String toString() {
		return "MetadataPolicy[keys=" + this.keys + ", maxValueLength=" + this.maxValueLength + "]";
	}

}
