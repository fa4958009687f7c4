package io.github.sessiongate.redis;

import java.util.List;

/**
 * What a save writes to a session's data (see {@code save_data} in
 * {@code session-data.lua}).
 *
 * @param isNew whether the session is new ({@code false}: written only while its data
 * still exists, so a deleted session is not brought back)
 * @param expireAtMillis when the data expires, 0 for never
 * @param deletes the fields to delete
 * @param sets the fields and values to set, in pairs
 * @author SessionGate team
 */
record SessionChanges(boolean isNew, long expireAtMillis, List<byte[]> deletes, List<byte[]> sets) {

	/** The parameters {@link #encode} writes (before its list). */
	static final List<String> PARAMETERS = List.of("mode", "expireAt", "deletes");

	ScriptArgs encode(ScriptArgs args) {
		return args.put("mode", this.isNew ? "new" : "update")
			.put("expireAt", this.expireAtMillis)
			.put("deletes", this.deletes.size())
			.addAll(this.deletes)
			.addAll(this.sets);
	}

}
