/**
 * The Spring Boot demo: a web app that uses {@code sessiongate-spring-boot-starter} with
 * form login, demo endpoints and a live dashboard of what the gate sees.
 */
@NullMarked
package io.github.sessiongate.sample;

import org.jspecify.annotations.NullMarked;
