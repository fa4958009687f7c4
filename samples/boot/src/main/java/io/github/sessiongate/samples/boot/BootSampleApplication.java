package io.github.sessiongate.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot guide (docs/guide-boot.md) as one runnable app: the starter, sessions in
 * memory, Tomcat, Actuator.
 */
@SpringBootApplication
public class BootSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(BootSampleApplication.class, args);
	}

}
