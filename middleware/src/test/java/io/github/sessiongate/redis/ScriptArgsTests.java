package io.github.sessiongate.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The two argument layouts of {@link ScriptArgs}: name/value pairs, and the values of a
 * script that declares its parameters.
 *
 * @author SessionGate team
 */
class ScriptArgsTests {

	private static final List<byte[]> PARAMETERS = List.of(ScriptArgs.name("first"), ScriptArgs.name("second"));

	@Test
	void pairsCarryTheirCountThenTheList() {
		byte[][] args = new ScriptArgs().put("second", 2).put("first", "one").add("item").toArray();
		assertThat(strings(args)).containsExactly("2", "second", "2", "first", "one", "item");
	}

	@Test
	void declaredParametersCarryValuesInTheDeclaredOrderThenTheList() {
		byte[][] args = new ScriptArgs().put("second", 2).put("first", "one").add("item").toArray(PARAMETERS, "s");
		assertThat(strings(args)).containsExactly("one", "2", "item");
	}

	@Test
	void aMissingValueIsAnError() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ScriptArgs().put("first", "one").toArray(PARAMETERS, "s"))
			.withMessageContaining("needs a value for second");
	}

	@Test
	void anUndeclaredOrRepeatedNameIsAnError() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> new ScriptArgs().put("first", "one").put("second", 2).put("third", 3).toArray(PARAMETERS, "s"))
			.withMessageContaining("has no parameter third");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ScriptArgs().put("first", "one").put("first", "again").toArray(PARAMETERS, "s"))
			.withMessageContaining("has no parameter first");
	}

	@Test
	void aDeclaredParameterMustBeALuaName() {
		assertThatIllegalArgumentException().isThrownBy(() -> LuaScript.load(List.of("not a name"), "read-stats"));
	}

	private static List<String> strings(byte[][] args) {
		return Arrays.stream(args).map((arg) -> new String(arg, StandardCharsets.UTF_8)).toList();
	}

}
