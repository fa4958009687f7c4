package io.github.sessiongate.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The SessionGate demo as a Spring Boot app. Run it with
 * {@code ./mvnw -pl sample-webapp -am spring-boot:run}, open http://localhost:8080 and
 * log in as {@code alice/alice}, {@code bob/bob} or {@code admin/admin}.
 *
 * @author SessionGate team
 */
@SpringBootApplication
public class SampleApplication {

	/**
	 * Starts the demo.
	 * @param args Spring Boot arguments, e.g. {@code --server.port=8081}
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
