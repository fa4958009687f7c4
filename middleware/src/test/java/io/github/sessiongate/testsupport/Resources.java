package io.github.sessiongate.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Closes what a test opened, last opened first. <pre>{@code
 * private final Resources resources = new Resources();
 * &#64;AfterEach void close() throws Exception { this.resources.close(); }
 * RedisTestServer redis = this.resources.own(RedisTestServer.start());
 * }</pre>
 */
public final class Resources implements AutoCloseable {

	private final List<AutoCloseable> opened = new ArrayList<>();

	public <T extends AutoCloseable> T own(T resource) {
		this.opened.add(resource);
		return resource;
	}

	public <T> T own(T resource, Consumer<T> closer) {
		this.opened.add(() -> closer.accept(resource));
		return resource;
	}

	@Override
	public void close() throws Exception {
		for (int i = this.opened.size() - 1; i >= 0; i--) {
			this.opened.get(i).close();
		}
		this.opened.clear();
	}

}
