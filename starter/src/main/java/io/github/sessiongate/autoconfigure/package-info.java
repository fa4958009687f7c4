/**
 * Spring Boot auto-configuration for SessionGate: the {@code sessiongate.*} properties,
 * the gate and its filter registered after Spring Session's and Spring Security's
 * filters, the in-memory or Redis store, the Spring Security hooks (user id, login
 * binding, session id rotation), Spring application events, Micrometer meters, and the
 * Actuator endpoint and health indicator.
 */
@NullMarked
package io.github.sessiongate.autoconfigure;

import org.jspecify.annotations.NullMarked;
