package io.github.sessiongate.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

/**
 * Tells its {@link GatedRequest} the moment the response is complete for the client,
 * <em>before</em> the last byte is handed to the container: the declared
 * {@code Content-Length} about to be reached, the output closed, {@code sendError} or
 * {@code sendRedirect}, or a flush once everything declared was written. A client that
 * read the whole response may send its next request at once; by then the gate has
 * released this one's permit. Writes that fail (the client went away) are reported as a
 * client abort.
 *
 * @author SessionGate team
 */
final class CompletionDetectingResponse extends HttpServletResponseWrapper {

	private static final String CONTENT_LENGTH = "Content-Length";

	private final GatedRequest gatedRequest;

	private long contentLength = -1;

	private long written;

	private @Nullable ServletOutputStream outputStream;

	private @Nullable PrintWriter writer;

	CompletionDetectingResponse(HttpServletResponse response, GatedRequest gatedRequest) {
		super(response);
		this.gatedRequest = gatedRequest;
	}

	@Override
	public void setContentLength(int len) {
		super.setContentLength(len);
		declareContentLength(len);
	}

	@Override
	public void setContentLengthLong(long len) {
		super.setContentLengthLong(len);
		declareContentLength(len);
	}

	@Override
	public void setHeader(String name, @Nullable String value) {
		super.setHeader(name, value);
		if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
			declareContentLength(parseLength(value));
		}
	}

	@Override
	public void addHeader(String name, @Nullable String value) {
		super.addHeader(name, value);
		if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
			declareContentLength(parseLength(value));
		}
	}

	@Override
	public void setIntHeader(String name, int value) {
		super.setIntHeader(name, value);
		if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
			declareContentLength(value);
		}
	}

	@Override
	public void addIntHeader(String name, int value) {
		super.addIntHeader(name, value);
		if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
			declareContentLength(value);
		}
	}

	@Override
	public void sendError(int sc, @Nullable String msg) throws IOException {
		this.gatedRequest.complete(sc);
		super.sendError(sc, msg);
	}

	@Override
	public void sendError(int sc) throws IOException {
		this.gatedRequest.complete(sc);
		super.sendError(sc);
	}

	@Override
	public void sendRedirect(String location) throws IOException {
		this.gatedRequest.complete(SC_FOUND);
		super.sendRedirect(location);
	}

	@Override
	public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
		this.gatedRequest.complete(sc);
		super.sendRedirect(location, sc, clearBuffer);
	}

	@Override
	public void flushBuffer() throws IOException {
		completeIfAllWritten();
		super.flushBuffer();
	}

	@Override
	public void reset() {
		super.reset();
		this.contentLength = -1;
		this.written = 0;
	}

	@Override
	public void resetBuffer() {
		super.resetBuffer();
		this.written = 0;
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		ServletOutputStream stream = this.outputStream;
		if (stream == null) {
			stream = new CompletionDetectingOutputStream(super.getOutputStream());
			this.outputStream = stream;
		}
		return stream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		PrintWriter printWriter = this.writer;
		if (printWriter == null) {
			Charset charset = charset(getCharacterEncoding());
			printWriter = new PrintWriter(new CompletionDetectingWriter(super.getWriter(), charset));
			this.writer = printWriter;
		}
		return printWriter;
	}

	private void declareContentLength(long length) {
		this.contentLength = length;
		if (length == 0) {
			// nothing to write: complete as soon as it is sent
			return;
		}
		if (length > 0 && this.written >= length) {
			this.gatedRequest.complete(-1);
		}
	}

	/** Called before bytes are handed on: completes first when they finish the body. */
	void beforeWrite(long bytes) {
		long length = this.contentLength;
		if (length >= 0 && this.written + bytes >= length) {
			this.gatedRequest.complete(-1);
		}
		this.written += bytes;
	}

	void completeIfAllWritten() {
		long length = this.contentLength;
		if (length >= 0 && this.written >= length) {
			this.gatedRequest.complete(-1);
		}
	}

	private static long parseLength(@Nullable String value) {
		if (value == null) {
			return -1;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static Charset charset(@Nullable String encoding) {
		if (encoding == null) {
			return StandardCharsets.ISO_8859_1;
		}
		try {
			return Charset.forName(encoding.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return StandardCharsets.UTF_8;
		}
	}

	/**
	 * The bytes {@code len} characters take in a charset: exact for UTF-8 and the
	 * single-byte charsets without encoding anything, by encoding otherwise.
	 */
	static long encodedLength(Charset charset, CharSequence chars, int off, int len) {
		if (StandardCharsets.UTF_8.equals(charset)) {
			long bytes = 0;
			for (int i = off; i < off + len; i++) {
				char c = chars.charAt(i);
				if (c < 0x80) {
					bytes++;
				}
				else if (c < 0x800) {
					bytes += 2;
				}
				else if (Character.isHighSurrogate(c) && i + 1 < off + len
						&& Character.isLowSurrogate(chars.charAt(i + 1))) {
					bytes += 4;
					i++;
				}
				else {
					bytes += 3;
				}
			}
			return bytes;
		}
		if (StandardCharsets.ISO_8859_1.equals(charset) || StandardCharsets.US_ASCII.equals(charset)) {
			return len;
		}
		return chars.subSequence(off, off + len).toString().getBytes(charset).length;
	}

	private final class CompletionDetectingOutputStream extends ServletOutputStream {

		private final ServletOutputStream delegate;

		CompletionDetectingOutputStream(ServletOutputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public void write(int b) throws IOException {
			beforeWrite(1);
			try {
				this.delegate.write(b);
			}
			catch (IOException ex) {
				throw aborted(ex);
			}
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			beforeWrite(len);
			try {
				this.delegate.write(b, off, len);
			}
			catch (IOException ex) {
				throw aborted(ex);
			}
		}

		@Override
		public void flush() throws IOException {
			completeIfAllWritten();
			try {
				this.delegate.flush();
			}
			catch (IOException ex) {
				throw aborted(ex);
			}
		}

		@Override
		public void close() throws IOException {
			CompletionDetectingResponse.this.gatedRequest.complete(-1);
			try {
				this.delegate.close();
			}
			catch (IOException ex) {
				throw aborted(ex);
			}
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setWriteListener(WriteListener writeListener) {
			this.delegate.setWriteListener(writeListener);
		}

		private IOException aborted(IOException ex) {
			CompletionDetectingResponse.this.gatedRequest.clientAborted(ex);
			return ex;
		}

	}

	private final class CompletionDetectingWriter extends Writer {

		private final PrintWriter delegate;

		private final Charset charset;

		CompletionDetectingWriter(PrintWriter delegate, Charset charset) {
			this.delegate = delegate;
			this.charset = charset;
		}

		@Override
		public void write(int c) {
			beforeWrite(encodedLength(this.charset, String.valueOf((char) c), 0, 1));
			this.delegate.write(c);
		}

		@Override
		public void write(char[] cbuf, int off, int len) {
			beforeWrite(encodedLength(this.charset, java.nio.CharBuffer.wrap(cbuf), off, len));
			this.delegate.write(cbuf, off, len);
		}

		@Override
		public void write(String str, int off, int len) {
			beforeWrite(encodedLength(this.charset, str, off, len));
			this.delegate.write(str, off, len);
		}

		@Override
		public void flush() {
			completeIfAllWritten();
			this.delegate.flush();
		}

		@Override
		public void close() {
			CompletionDetectingResponse.this.gatedRequest.complete(-1);
			this.delegate.close();
		}

	}

}
