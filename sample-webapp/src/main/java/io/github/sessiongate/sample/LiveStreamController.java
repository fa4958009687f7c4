package io.github.sessiongate.sample;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionGate;
import jakarta.annotation.PreDestroy;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A live server-sent events stream for the dashboard: one event a second with the time
 * and the streams open on this node. The gate counts it as a stream of the session, not
 * as a request (the burst next to it is limited as before), and closes it when the
 * session ends — the page then shows the stream closed.
 *
 * @author SessionGate team
 */
@RestController
class LiveStreamController {

	private final SessionGate gate;

	private final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "demo-live-stream");
		thread.setDaemon(true);
		return thread;
	});

	LiveStreamController(SessionGate gate) {
		this.gate = gate;
		this.ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
	}

	@GetMapping("/api/live")
	SseEmitter live() throws IOException {
		SseEmitter emitter = new SseEmitter(0L);
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onError((ex) -> this.emitters.remove(emitter));
		emitter.send(event());
		this.emitters.add(emitter);
		return emitter;
	}

	private void tick() {
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(event());
			}
			catch (IOException | IllegalStateException ex) {
				// the client went away, or the gate closed the stream
				this.emitters.remove(emitter);
			}
		}
	}

	private SseEmitter.SseEventBuilder event() {
		return SseEmitter.event()
			.name("tick")
			.data(Map.of("time", Instant.now().toString(), "streams", this.gate.activeStreams()));
	}

	@PreDestroy
	void stop() {
		this.ticker.shutdownNow();
	}

}
