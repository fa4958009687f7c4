package io.github.sessiongate.benchmarks.micro;

import java.util.concurrent.TimeUnit;

import io.github.sessiongate.web.ClientIpResolver;
import io.github.sessiongate.web.HeaderValueResolver;
import io.github.sessiongate.web.TrustedProxyClientIpResolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Resolving the parts of the session context that come from the request: the client IP
 * (socket address, or walked back through {@code X-Forwarded-For} / {@code Forwarded}
 * from a trusted proxy), the tenant and the device id headers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ContextResolutionBenchmark {

	/**
	 * How the request arrives: {@code direct} (no proxy trusted, socket address),
	 * {@code x-forwarded-for} or {@code forwarded} (two hops through a trusted proxy).
	 */
	@Param({ "direct", "x-forwarded-for", "forwarded" })
	public String arrival;

	LeanRequest request;

	ClientIpResolver clientIpResolver;

	HeaderValueResolver tenant = HeaderValueResolver.of("X-Tenant");

	HeaderValueResolver device = HeaderValueResolver.of("X-Device");

	@Setup
	public void setUp() {
		this.request = new LeanRequest("GET", "/hello").header("X-Tenant", "acme").header("X-Device", "device-1");
		switch (this.arrival) {
			case "direct" -> {
				this.request.setRemoteAddr("203.0.113.7");
				this.clientIpResolver = TrustedProxyClientIpResolver.socketAddress();
			}
			case "x-forwarded-for" -> {
				this.request.setRemoteAddr("10.0.0.2");
				this.request.header("X-Forwarded-For", "203.0.113.7, 10.0.0.9");
				this.clientIpResolver = TrustedProxyClientIpResolver.of(BenchmarkFixtures.TRUSTED_PROXIES);
			}
			case "forwarded" -> {
				this.request.setRemoteAddr("10.0.0.2");
				this.request.header("Forwarded", "for=203.0.113.7;proto=https, for=10.0.0.9");
				this.clientIpResolver = TrustedProxyClientIpResolver.of(BenchmarkFixtures.TRUSTED_PROXIES);
			}
			default -> throw new IllegalArgumentException(this.arrival);
		}
		String ip = this.clientIpResolver.resolveClientIp(this.request);
		if (!ip.equals("203.0.113.7")) {
			throw new IllegalStateException("resolved " + ip);
		}
	}

	@Benchmark
	public void resolve(Blackhole blackhole) {
		blackhole.consume(this.clientIpResolver.resolveClientIp(this.request));
		blackhole.consume(this.tenant.resolve(this.request));
		blackhole.consume(this.device.resolve(this.request));
	}

}
