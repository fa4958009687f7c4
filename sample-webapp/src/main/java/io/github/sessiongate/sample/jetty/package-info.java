/**
 * The plain-Jetty demo: SessionGate as the one filter of a Jetty 12 app, without Spring
 * Boot.
 */
@NullMarked
package io.github.sessiongate.sample.jetty;

import org.jspecify.annotations.NullMarked;
