package io.github.sessiongate.benchmarks.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link LoadClient} running in its own JVM, a child of the benchmark.
 */
final class LoadClientProcess implements AutoCloseable {

	private final Process process;

	private final PrintStream commands;

	private final BufferedReader answers;

	private LoadClientProcess(Process process) {
		this.process = process;
		this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
		this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
	}

	static LoadClientProcess start() throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xms256m", "-Xmx256m", "-XX:+UseSerialGC", "-cp",
				System.getProperty("java.class.path"), LoadClient.class.getName()));
		builder.redirectError(ProcessBuilder.Redirect.INHERIT);
		return new LoadClientProcess(builder.start());
	}

	LoadClient.Result run(int port, String path, int connections, int sessionsPerConnection, long durationMillis,
			long maxRequests) throws IOException {
		this.commands.println("run " + port + " " + path + " " + connections + " " + sessionsPerConnection + " "
				+ durationMillis + " " + maxRequests);
		String answer = this.answers.readLine();
		if (answer == null) {
			throw new IOException("the load client exited");
		}
		return LoadClient.Result.parse(answer);
	}

	@Override
	public void close() throws InterruptedException {
		this.commands.println("quit");
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
