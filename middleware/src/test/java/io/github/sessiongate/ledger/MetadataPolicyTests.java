package io.github.sessiongate.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What a {@link MetadataPolicy} keeps of hostile metadata, and the configurations it
 * refuses.
 */
class MetadataPolicyTests {

	@Test
	void applyWhenHostileValuesThenKeepsListedKeysOnlyCutAndCleaned() {
		MetadataPolicy policy = MetadataPolicy.keep("plan", "region", "note").withMaxValueLength(16);
		Map<String, String> metadata = new HashMap<>();
		metadata.put("plan", "gold\r\n\u0000" + "x".repeat(100_000));
		metadata.put("region", " \t\u0007 ");
		metadata.put("secret", "never kept");
		metadata.put("note", "\uD83D\uDE00".repeat(20));
		for (int i = 0; i < 10_000; i++) {
			metadata.put("k" + i, "v");
		}

		Map<String, String> kept = policy.apply(metadata);

		// cut to 16 characters first, then the control characters dropped; a blank
		// value is a removal ("")
		assertThat(kept.keySet()).containsExactly("plan", "region", "note");
		assertThat(kept.get("plan")).isEqualTo("gold" + "x".repeat(9));
		assertThat(kept.get("region")).isEmpty();
		// never half a surrogate pair
		assertThat(kept.get("note")).isEqualTo("\uD83D\uDE00".repeat(8));
	}

	@Test
	void applyWhenNoneThenKeepsNothing() {
		assertThat(MetadataPolicy.none().apply(Map.of("plan", "gold"))).isEmpty();
		assertThat(MetadataPolicy.none().keepsAny()).isFalse();
		assertThat(MetadataPolicy.keep(List.of())).isSameAs(MetadataPolicy.none());
		assertThat(MetadataPolicy.keep("plan").apply(Map.of())).isEmpty();
	}

	@Test
	void keepWhenKeysMalformedRepeatedOrTooManyThenRefusedWithTheReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> MetadataPolicy.keep("plan", "bad key"))
			.withMessage("metadata key must be 1 to 64 of A-Z a-z 0-9 . _ -, was 'bad key'");
		assertThatIllegalArgumentException().isThrownBy(() -> MetadataPolicy.keep("a\r\nb"))
			.withMessageEndingWith("was 'a??b'");
		assertThatIllegalArgumentException().isThrownBy(() -> MetadataPolicy.keep("k".repeat(65)))
			.withMessageEndingWith("'" + "k".repeat(64) + "...'");
		assertThatIllegalArgumentException().isThrownBy(() -> MetadataPolicy.keep("")).withMessageEndingWith("was ''");
		assertThatIllegalArgumentException().isThrownBy(() -> MetadataPolicy.keep("plan", "plan"))
			.withMessage("metadata keys must not repeat, were [plan, plan]");
		List<String> seventeen = new ArrayList<>();
		for (int i = 0; i < 17; i++) {
			seventeen.add("k" + i);
		}
		assertThatIllegalArgumentException().isThrownBy(() -> MetadataPolicy.keep(seventeen))
			.withMessage("at most 16 metadata keys can be kept, 17 were listed");
		assertThatIllegalArgumentException().isThrownBy(() -> MetadataPolicy.keep("plan").withMaxValueLength(0))
			.withMessage("maxValueLength must be 1 to 1024, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> MetadataPolicy.keep("plan").withMaxValueLength(1025))
			.withMessage("maxValueLength must be 1 to 1024, was 1025");
		assertThat(MetadataPolicy.keep(seventeen.subList(0, 16)).keys()).hasSize(16);
	}

}
