package io.github.sessiongate.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * The Spring Boot guide (docs/guide-boot.md) as one runnable app: the starter, sessions in
 * memory, Tomcat, Actuator, and the session context in {@code @Async} methods through
 * Spring's {@link ContextPropagatingTaskDecorator}.
 */
@SpringBootApplication
@EnableAsync
public class BootSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(BootSampleApplication.class, args);
	}

	@Bean
	ContextPropagatingTaskDecorator contextPropagatingTaskDecorator() {
		return new ContextPropagatingTaskDecorator();
	}

}
