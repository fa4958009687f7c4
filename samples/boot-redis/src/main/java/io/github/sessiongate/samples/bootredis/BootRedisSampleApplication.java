package io.github.sessiongate.samples.bootredis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Boot guide's Redis section as one runnable app: with Spring Data Redis (and Lettuce)
 * on the classpath, the starter keeps the gate's ledger in Redis and the sessions next to
 * it, in SessionGate's own session repository (no Spring Session Data Redis needed).
 * Start a Redis on localhost:6379 (or set {@code spring.data.redis.url}) before running it.
 */
@SpringBootApplication
public class BootRedisSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(BootRedisSampleApplication.class, args);
	}

}
