package io.github.sessiongate.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sessiongate.web.Problem;

/**
 * The body of the {@code 503} answers the endpoint and the inventory API give while the
 * ledger's store is down: the gate's own store-unavailable problem
 * ({@code urn:sessiongate:problem:store-unavailable}).
 *
 * @author SessionGate team
 */
final class StoreUnavailableProblem {

	private StoreUnavailableProblem() {
	}

	static Map<String, Object> body() {
		Problem problem = Problem.storeUnavailable(Duration.ZERO);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.type());
		body.put("title", problem.title());
		body.put("status", problem.status());
		body.put("detail", problem.detail());
		return body;
	}

}
