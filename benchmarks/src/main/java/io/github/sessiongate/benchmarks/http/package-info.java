/**
 * The HTTP benchmark: one Jetty serving every variant on its own path, a load client in a
 * separate JVM, variants alternated round-robin, Redis command counts from
 * {@code INFO commandstats}.
 */
package io.github.sessiongate.benchmarks.http;
