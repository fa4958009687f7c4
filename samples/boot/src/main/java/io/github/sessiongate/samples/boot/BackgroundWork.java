package io.github.sessiongate.samples.boot;

import java.util.concurrent.CompletableFuture;

import io.github.sessiongate.SessionContextHolder;
import io.github.sessiongate.SessionIds;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Work on Spring Boot's task executor, which sees the session context because the app
 * declares Spring's {@code ContextPropagatingTaskDecorator}.
 */
@Service
public class BackgroundWork {

	@Async
	public CompletableFuture<String> sessionReference() {
		return CompletableFuture.completedFuture(SessionIds.shortForm(SessionContextHolder.requireContext().sessionId()));
	}

}
