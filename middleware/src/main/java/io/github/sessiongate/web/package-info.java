/**
 * The servlet side: {@link io.github.sessiongate.web.SessionGateFilter}, the resolvers
 * that read who and where a request comes from (client IP behind trusted proxies, tenant,
 * device, user), session id validation, and the problem+json answers for rejected
 * requests.
 */
@NullMarked
package io.github.sessiongate.web;

import org.jspecify.annotations.NullMarked;
