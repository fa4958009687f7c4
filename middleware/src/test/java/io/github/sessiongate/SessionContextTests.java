package io.github.sessiongate;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SessionContextTests {

	private static final String ID = "5b0c9a8e-3f1d-4c2b-9e7a-1d2c3b4a5f6e";

	@AfterEach
	void clear() {
		SessionContextHolder.clearContext();
	}

	private static SessionContext context(Map<String, String> metadata) {
		return new SessionContext(ID, "alice", "acme", "dev-1", "203.0.113.9", "agent", Instant.EPOCH, metadata);
	}

	@Test
	void metadataWhenSourceMapChangesThenContextDoesNot() {
		Map<String, String> source = new HashMap<>(Map.of("a", "1"));
		SessionContext context = context(source);
		source.put("b", "2");

		assertThat(context.metadata()).containsOnlyKeys("a");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> context.metadata().put("c", "3"));
	}

	@Test
	void withMetadataWhenCalledThenReturnsCopyAndLeavesOriginal() {
		SessionContext original = context(Map.of("a", "1"));
		SessionContext copy = original.withMetadata("b", "2").withMetadata(Map.of("a", "9"));

		assertThat(original.metadata()).containsExactlyEntriesOf(Map.of("a", "1"));
		assertThat(copy.metadata()).containsOnly(Map.entry("a", "9"), Map.entry("b", "2"));
		assertThat(copy.sessionId()).isEqualTo(ID);
		assertThat(copy.withUserId("bob").userId()).isEqualTo("bob");
	}

	@Test
	void toStringWhenCalledThenNeverShowsRawSessionId() {
		SessionContext context = context(Map.of());

		assertThat(context.toString()).doesNotContain(ID).contains(SessionIds.shortForm(ID));
		assertThat(SessionIds.shortForm(ID)).hasSize(12).matches("[0-9a-f]{12}");
		assertThat(SessionIds.shortForm(null)).isEqualTo("-");
	}

	@Test
	void holderWhenSetAndClearedThenReflectsState() {
		assertThat(SessionContextHolder.getContext()).isNull();
		assertThatIllegalStateException().isThrownBy(SessionContextHolder::requireContext)
			.withMessageContaining("SessionGate filter");
		SessionContext context = context(Map.of());
		SessionContextHolder.setContext(context);
		assertThat(SessionContextHolder.requireContext()).isSameAs(context);
		SessionContextHolder.clearContext();
		assertThat(SessionContextHolder.getContext()).isNull();
	}

}
