package io.github.sessiongate.samples.bootsecurity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Boot guide's Spring Security section as one runnable app: form login binds the user
 * to the session, the per-user session limit applies at login, and the Actuator endpoint
 * is for admins only, with CSRF protection on.
 */
@SpringBootApplication
public class BootSecuritySampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(BootSecuritySampleApplication.class, args);
	}

}
