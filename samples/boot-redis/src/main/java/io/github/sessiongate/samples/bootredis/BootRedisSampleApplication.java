package io.github.sessiongate.samples.bootredis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Boot guide's Redis section as one runnable app: with Spring Session Data Redis on the
 * classpath, sessions live in Redis and the starter puts the gate's ledger there too.
 * Start a Redis on localhost:6379 (or set {@code spring.data.redis.url}) before running it.
 */
@SpringBootApplication
public class BootRedisSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(BootRedisSampleApplication.class, args);
	}

}
