package io.github.sessiongate.benchmarks.micro;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.sessiongate.SessionGate;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * One whole request through the filters, without a server: Spring Session's
 * {@code SessionRepositoryFilter} alone against {@link SessionGate#filter()} (which
 * includes it), on a {@code MapSessionRepository}, with every limit on. Both build the
 * same mock request and response per operation, so the difference in time and in bytes
 * allocated per operation ({@code -prof gc}) is what the gate adds to a request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FilterBenchmark {

	private static final FilterChain APPLICATION = (request, response) -> ((HttpServletRequest) request)
		.getSession(false);

	/** {@code spring-session} (the filter alone) or {@code sessiongate}. */
	@Param({ "spring-session", "sessiongate" })
	public String filter;

	Filter target;

	SessionGate gate;

	String sessionId;

	@Setup
	public void setUp() {
		MapSessionRepository repository = new MapSessionRepository(new ConcurrentHashMap<>());
		MapSession session = repository.createSession();
		repository.save(session);
		this.sessionId = session.getId();
		if ("sessiongate".equals(this.filter)) {
			this.gate = SessionGate.builder(repository)
				.limits(BenchmarkFixtures.allLimitsOn())
				.trustedProxies(BenchmarkFixtures.TRUSTED_PROXIES)
				.tenantHeader("X-Tenant")
				.deviceHeader("X-Device")
				.sweepInterval(Duration.ZERO)
				.build();
			this.target = this.gate.filter();
		}
		else {
			this.target = new SessionRepositoryFilter<>(repository);
		}
	}

	@TearDown
	public void tearDown() {
		if (this.gate != null) {
			this.gate.close();
		}
	}

	@Benchmark
	public Object request() throws IOException, ServletException {
		MockHttpServletRequest request = BenchmarkFixtures.proxiedRequest(this.sessionId);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.target.doFilter(request, response, APPLICATION);
		if (response.getStatus() != 200) {
			throw new IllegalStateException("status " + response.getStatus());
		}
		return response;
	}

}
