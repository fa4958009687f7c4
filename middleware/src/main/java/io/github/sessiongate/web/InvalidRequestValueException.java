package io.github.sessiongate.web;

/**
 * Thrown by a resolver when a request carries a value that is present but not acceptable
 * (too long, forbidden characters). The gate answers such a request with
 * {@code 400 Bad Request} and a problem body naming the header, and stores nothing.
 *
 * @author SessionGate team
 */
public class InvalidRequestValueException extends RuntimeException {

	private final String source;

	/**
	 * Creates the exception.
	 * @param source what carried the value, e.g. the header name
	 * @param message a client-safe explanation (it is sent in the problem detail)
	 */
	public InvalidRequestValueException(String source, String message) {
		super(message);
		this.source = source;
	}

	/**
	 * What carried the bad value.
	 * @return e.g. the header name
	 */
	public String getSource() {
		return this.source;
	}

}
