package org.tcpsplice.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * HTTP/1.1 message framing over a byte stream: whole requests as raw bytes (a handoff forwards them
 * verbatim), and responses streamed through by their framing (Content-Length, chunked, or until
 * close). Keeps what it read past the current message, for pipelined requests.
 */
final class HttpInput {
    /** Longest request or response head accepted. */
    static final int MAX_HEAD = 64 * 1024;

    /** Bodies shorter than this are copied with their head in one write (one segment for small objects). */
    static final int KERNEL_RELAY_MIN = 64 * 1024;
    private static final byte[] CONNECTION_CLOSE = "Connection: close\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private final InputStream in;
    /** Gives the relay that moves long response bodies in the kernel, when one is first needed; null (or giving null): every byte through the buffer. */
    private final Supplier<KernelRelay> bodies;
    private byte[] buf = new byte[16 * 1024];
    private int start;
    private int end;
    private long lastResponseLength = -1;
    /** Responses whose head has been read (and passed on, for relayResponse). */
    private int responseHeads;

    HttpInput(InputStream in) {
        this(in, null);
    }

    /** {@code bodies}: moves the responses' long Content-Length bodies from this stream's socket. */
    HttpInput(InputStream in, Supplier<KernelRelay> bodies) {
        this.in = in;
        this.bodies = bodies;
    }

    /** Bytes already read from the stream (by the keep-alive loop) come first. */
    HttpInput(InputStream in, Supplier<KernelRelay> bodies, byte[] readAhead) {
        this(in, bodies);
        preload(readAhead);
    }

    /** Puts bytes read from the stream elsewhere in front of what is still to be read; only when nothing is buffered. */
    void preload(byte[] readAhead) {
        if (start != end) {
            throw new IllegalStateException("preload into a buffer that holds " + (end - start) + " bytes");
        }
        if (readAhead.length > buf.length) {
            buf = new byte[readAhead.length];
        }
        System.arraycopy(readAhead, 0, buf, 0, readAhead.length);
        start = 0;
        end = readAhead.length;
    }

    /** Bytes read from the stream elsewhere (by a handoff that did not happen) after what is buffered. */
    void append(byte[] more) {
        if (end + more.length > buf.length) {
            byte[] bigger = new byte[Math.max(buf.length, end - start + more.length)];
            System.arraycopy(buf, start, bigger, 0, end - start);
            end -= start;
            start = 0;
            buf = bigger;
        }
        System.arraycopy(more, 0, buf, end, more.length);
        end += more.length;
    }

    /** Head and body of the last response {@link #relayResponse} copied; -1 if chunked or until close. */
    long lastResponseLength() {
        return lastResponseLength;
    }

    /** How many responses' heads relayResponse has read from this stream. */
    int responseHeads() {
        return responseHeads;
    }

    /** How many bytes are read but not yet consumed. */
    int bufferedCount() {
        return end - start;
    }

    /** A parsed request: its raw bytes (head and body) and what routing needs. */
    static final class Request {
        final byte[] raw;
        /** The request as it goes to another node over a connection kept open: raw without "Connection: close". */
        final byte[] keepingOpen;
        final String method;
        final String path;
        final boolean keepAlive;

        Request(byte[] raw, byte[] keepingOpen, String method, String path, boolean keepAlive) {
            this.raw = raw;
            this.keepingOpen = keepingOpen;
            this.method = method;
            this.path = path;
            this.keepAlive = keepAlive;
        }
    }

    /** Thrown for input that is not HTTP/1.1 as this agent speaks it. */
    static final class BadMessage extends IOException {
        private static final long serialVersionUID = 1L;

        BadMessage(String message) {
            super(message);
        }
    }

    /** The bytes read from the stream but not yet consumed (the start of a pipelined next request). */
    byte[] buffered() {
        return Arrays.copyOfRange(buf, start, end);
    }

    /** The next request, or null at a clean end of stream. */
    Request readRequest() throws IOException {
        int headEnd = findHeadEnd();
        if (headEnd < 0) {
            return null;
        }
        Head head = Head.parse(buf, start, headEnd, true);
        ByteArrayOutputStream raw = new ByteArrayOutputStream(headEnd - start + 256);
        raw.write(buf, start, headEnd - start);
        start = headEnd;
        if (head.chunked) {
            copyChunked(raw, raw);
        } else if (head.contentLength > 0) {
            copyExactly(raw, head.contentLength);
        }
        byte[] bytes = raw.toByteArray();
        return new Request(bytes, keepingOpen(bytes, bytes.length, head), head.method, head.target, head.keepAlive());
    }

    /**
     * The request in b[0, length) (its head parsed from 0 as {@code head}) on a connection that stays
     * open: an HTTP/1.1 request whose one Connection field is "close", without that line (the relay
     * keeps its connections to other nodes for others); any other request, b itself when it is whole.
     */
    static byte[] keepingOpen(byte[] b, int length, Head head) {
        if (!(head.version11 && head.connectionClose && head.connectionFields == 1)) {
            return length == b.length ? b : Arrays.copyOf(b, length);
        }
        byte[] kept = new byte[length - (head.connectionTo - head.connectionFrom)];
        System.arraycopy(b, 0, kept, 0, head.connectionFrom);
        System.arraycopy(b, head.connectionTo, kept, head.connectionFrom, length - head.connectionTo);
        return kept;
    }

    /**
     * Copies one whole response to {@code out}; returns whether the connection may carry another.
     * {@code headRequest}: the response to a HEAD has no body whatever its headers say.
     */
    boolean relayResponse(OutputStream out, boolean headRequest) throws IOException {
        return relayResponse(out, headRequest, false);
    }

    /**
     * As {@link #relayResponse(OutputStream, boolean)}; {@code closing}: the client's connection closes
     * after this response (its request said so, but went on without it), so the head passed on says
     * "Connection: close" in place of any Connection field it had. Clients rely on it to not send
     * another request on the connection (RFC 9112 9.6).
     */
    boolean relayResponse(OutputStream out, boolean headRequest, boolean closing) throws IOException {
        int headEnd = findHeadEnd();
        if (headEnd < 0) {
            throw new BadMessage("the web server closed the connection without a response");
        }
        Head head = Head.parse(buf, start, headEnd, false);
        responseHeads++;
        writeHead(out, buf, start, headEnd, head, closing);
        lastResponseLength = head.messageLength(headEnd - start, headRequest);
        start = headEnd;
        boolean keepAlive = copyResponseBody(head, headRequest, out, out);
        out.flush();
        return keepAlive;
    }

    /**
     * The response head in b[from, headEnd), parsed as {@code head}; {@code closing}: with "Connection:
     * close" for its one Connection field, or added.
     */
    static void writeHead(OutputStream out, byte[] b, int from, int headEnd, Head head, boolean closing) throws IOException {
        if (!closing || (head.connectionClose && head.connectionFields == 1)) {
            out.write(b, from, headEnd - from);
            return;
        }
        int keepTo = head.connectionFields == 1 ? from + head.connectionFrom : headEnd - 2;
        out.write(b, from, keepTo - from);
        out.write(CONNECTION_CLOSE);
        if (head.connectionFields == 1) {
            out.write(b, from + head.connectionTo, headEnd - from - head.connectionTo);
        } else {
            out.write(CRLF);
        }
    }

    /**
     * The body {@code head} announces: its framing (chunk lines) to {@code framing}, its bytes to
     * {@code data}. Returns whether the connection may carry another message.
     */
    private boolean copyResponseBody(Head head, boolean headRequest, OutputStream framing, OutputStream data)
            throws IOException {
        if (head.noBody(headRequest)) {
            return head.keepAlive();
        }
        if (head.chunked) {
            copyChunked(framing, data);
        } else if (head.contentLength >= 0) {
            copyBody(data, head.contentLength);
        } else {
            copyUntilClose(data);
            return false;
        }
        return head.keepAlive();
    }

    /** A response read whole: status, body (de-chunked) and whether the connection may carry another. */
    static final class Response {
        final int status;
        final byte[] body;
        final boolean keepAlive;

        Response(int status, byte[] body, boolean keepAlive) {
            this.status = status;
            this.body = body;
            this.keepAlive = keepAlive;
        }
    }

    /** The next response, whole, for a request that was not a HEAD: the agent's own calls to its controller. */
    Response readResponse() throws IOException {
        int headEnd = findHeadEnd();
        if (headEnd < 0) {
            throw new BadMessage("the connection closed before a response");
        }
        Head head = Head.parse(buf, start, headEnd, false);
        start = headEnd;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean keepAlive = copyResponseBody(head, false, OutputStream.nullOutputStream(), body);
        return new Response(head.status, body.toByteArray(), keepAlive);
    }

    // ---------------------------------------------------------------- framing

    /** Where the head that starts at {@code from} ends (just past CRLF CRLF), or -1 if b[from, to) holds no whole head. */
    static int headEnd(byte[] b, int from, int to) {
        for (int i = from + 3; i < to; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private int findHeadEnd() throws IOException {
        // How far past start has been searched; relative, because fill() may move the data to offset 0.
        int searched = 0;
        while (true) {
            int found = headEnd(buf, start + Math.max(searched, 3) - 3, end);
            if (found >= 0) {
                return found;
            }
            searched = end - start;
            if (searched > MAX_HEAD) {
                throw new BadMessage("message head longer than " + MAX_HEAD + " bytes");
            }
            if (!fill()) {
                if (end > start) {
                    throw new BadMessage("stream ended inside a message head");
                }
                return -1;
            }
        }
    }

    /** Reads more into the buffer; false at end of stream. */
    private boolean fill() throws IOException {
        if (start > 0 && start == end) {
            start = 0;
            end = 0;
        }
        if (end == buf.length) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            } else {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** A response body of known length: what is buffered through {@code out}, the rest in the kernel if it is long. */
    private void copyBody(OutputStream out, long count) throws IOException {
        int buffered = (int) Math.min(count, end - start);
        KernelRelay relay = bodies == null || count - buffered < KERNEL_RELAY_MIN ? null : bodies.get();
        if (relay == null) {
            copyExactly(out, count);
            return;
        }
        out.write(buf, start, buffered);
        start += buffered;
        out.flush(); // the head and the buffered start of the body leave before the rest
        relay.move(count - buffered);
    }

    private void copyExactly(OutputStream out, long count) throws IOException {
        long left = count;
        while (left > 0) {
            if (start == end && !fill()) {
                throw new BadMessage("stream ended " + left + " bytes before the end of a body");
            }
            int n = (int) Math.min(left, end - start);
            out.write(buf, start, n);
            start += n;
            left -= n;
        }
    }

    private void copyUntilClose(OutputStream out) throws IOException {
        while (true) {
            if (start == end && !fill()) {
                return;
            }
            out.write(buf, start, end - start);
            start = end;
        }
    }

    private String line(OutputStream out) throws IOException {
        while (true) {
            for (int i = start; i + 1 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String text = new String(buf, start, i - start, StandardCharsets.ISO_8859_1);
                    out.write(buf, start, i + 2 - start);
                    start = i + 2;
                    return text;
                }
            }
            if (end - start > MAX_HEAD) {
                throw new BadMessage("chunk line too long");
            }
            if (!fill()) {
                throw new BadMessage("stream ended inside a chunked body");
            }
        }
    }

    /** A chunked body: its framing (size lines, CRLFs, trailers) to {@code framing}, its data to {@code data}. */
    private void copyChunked(OutputStream framing, OutputStream data) throws IOException {
        while (true) {
            String sizeLine = line(framing);
            long size = chunkSize(sizeLine);
            if (size == 0) {
                while (!line(framing).isEmpty()) {
                    // trailer fields, copied as they are
                }
                return;
            }
            copyExactly(data, size);
            if (!line(framing).isEmpty()) {
                throw new BadMessage("chunk data not followed by CRLF");
            }
        }
    }

    /** Longest chunk size accepted, in hex digits: 15 stay below 2^60, far from overflowing a long. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;

    /**
     * A chunk-size line's size (RFC 9112 7.1): hex digits, then optionally blanks and ";" extensions.
     * No sign, no leading blank and no overflow: Java's parseLong would take "+5" and " 5", and the web
     * server behind would not.
     */
    static long chunkSize(String line) throws BadMessage {
        int i = 0;
        long size = 0;
        while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0) {
            size = size * 16 + Character.digit(line.charAt(i), 16);
            i++;
        }
        int j = i;
        while (j < line.length() && (line.charAt(j) == ' ' || line.charAt(j) == '\t')) {
            j++;
        }
        if (i == 0 || i > MAX_CHUNK_SIZE_DIGITS || (j < line.length() && line.charAt(j) != ';')) {
            throw new BadMessage("bad chunk size line '" + line + "'");
        }
        return size;
    }

    /** The start line and the headers framing depends on. */
    static final class Head {
        String method;
        String target;
        int status;
        boolean version11;
        long contentLength = -1;
        boolean chunked;
        /** The Connection header is exactly "close" / "keep-alive" (any case). */
        boolean connectionClose;
        boolean connectionKeepAlive;
        /** Connection header lines, and where the last one is in the head ([from, to), its CRLF included). */
        int connectionFields;
        int connectionFrom;
        int connectionTo;

        boolean keepAlive() {
            return version11 ? !connectionClose : connectionKeepAlive;
        }

        /** A response without a body, whatever its headers say ({@code headRequest}: it answers a HEAD). */
        boolean noBody(boolean headRequest) {
            return headRequest || status / 100 == 1 || status == 204 || status == 304;
        }

        /** A response's whole length, head ({@code headLength} bytes) and body; -1 if chunked or until close. */
        long messageLength(int headLength, boolean headRequest) {
            if (noBody(headRequest)) {
                return headLength;
            }
            return chunked || contentLength < 0 ? -1 : headLength + contentLength;
        }

        /**
         * Parses b[from, to), a head ending in CRLF CRLF, in place. This runs for every request and every
         * response the agent relays, so it reads bytes by index and makes no strings but the request's
         * method and target: it was the agent's top CPU cost, first with regular expressions, then with
         * a string per header value.
         */
        static Head parse(byte[] b, int from, int to, boolean request) throws BadMessage {
            int lineEnd = indexOfCrlf(b, from, to);
            int firstSpace = indexOf(b, (byte) ' ', from, lineEnd);
            int secondSpace = firstSpace < 0 ? -1 : indexOf(b, (byte) ' ', firstSpace + 1, lineEnd);
            Head h = new Head();
            if (request) {
                if (secondSpace < 0 || !startsWith(b, secondSpace + 1, lineEnd, "HTTP/1.")) {
                    throw new BadMessage("not an HTTP/1.x request line: '" + text(b, from, lineEnd) + "'");
                }
                h.method = text(b, from, firstSpace);
                h.target = text(b, firstSpace + 1, secondSpace);
                h.version11 = equalsIgnoreCase(b, secondSpace + 1, lineEnd, "HTTP/1.1");
            } else {
                if (firstSpace < 0 || !startsWith(b, from, firstSpace, "HTTP/1.")) {
                    throw new BadMessage("not an HTTP/1.x status line: '" + text(b, from, lineEnd) + "'");
                }
                h.version11 = equalsIgnoreCase(b, from, firstSpace, "HTTP/1.1");
                long status = digits(b, firstSpace + 1, secondSpace < 0 ? lineEnd : secondSpace);
                if (status < 0 || status > 999) {
                    throw new BadMessage("bad status code in '" + text(b, from, lineEnd) + "'");
                }
                h.status = (int) status;
            }
            boolean transferEncoding = false;
            for (int at = lineEnd + 2; at < to; ) {
                int end = indexOfCrlf(b, at, to);
                if (end == at) {
                    break; // the empty line that ends the head
                }
                int colon = indexOf(b, (byte) ':', at, end);
                if (request) {
                    // RFC 9112 5.1, 5.2: a server must reject these, and a proxy that read them more leniently
                    // than the server behind it would split the stream elsewhere (request smuggling).
                    if (isBlank(b[at])) {
                        throw new BadMessage("obsolete line folding in a request head");
                    }
                    if (colon <= at) {
                        throw new BadMessage("a header line without a field name and colon: '" + text(b, at, end) + "'");
                    }
                    if (isBlank(b[colon - 1])) {
                        throw new BadMessage("whitespace between a field name and its colon: '" + text(b, at, end) + "'");
                    }
                }
                if (colon > at) {
                    int nameEnd = colon;
                    while (nameEnd > at && b[nameEnd - 1] == ' ') {
                        nameEnd--;
                    }
                    int valueFrom = colon + 1;
                    int valueTo = end;
                    while (valueFrom < valueTo && isBlank(b[valueFrom])) {
                        valueFrom++;
                    }
                    while (valueTo > valueFrom && isBlank(b[valueTo - 1])) {
                        valueTo--;
                    }
                    if (equalsIgnoreCase(b, at, nameEnd, "content-length")) {
                        long length = digits(b, valueFrom, valueTo);
                        if (length < 0) {
                            throw new BadMessage("bad Content-Length '" + text(b, valueFrom, valueTo) + "'");
                        }
                        if (h.contentLength >= 0 && h.contentLength != length) {
                            throw new BadMessage("two Content-Length fields that differ (" + h.contentLength + ", "
                                    + length + ")");
                        }
                        h.contentLength = length;
                    } else if (equalsIgnoreCase(b, at, nameEnd, "transfer-encoding")) {
                        // The last coding of the last field decides (codings are applied in the listed order).
                        transferEncoding = true;
                        int codingFrom = valueFrom;
                        for (int i = valueFrom; i < valueTo; i++) {
                            if (b[i] == ',') {
                                codingFrom = i + 1;
                            }
                        }
                        while (codingFrom < valueTo && isBlank(b[codingFrom])) {
                            codingFrom++;
                        }
                        h.chunked = equalsIgnoreCase(b, codingFrom, valueTo, "chunked");
                    } else if (equalsIgnoreCase(b, at, nameEnd, "connection")) {
                        h.connectionClose = equalsIgnoreCase(b, valueFrom, valueTo, "close");
                        h.connectionKeepAlive = equalsIgnoreCase(b, valueFrom, valueTo, "keep-alive");
                        h.connectionFields++;
                        h.connectionFrom = at - from;
                        h.connectionTo = end + 2 - from;
                    }
                }
                at = end + 2;
            }
            if (request && transferEncoding) {
                if (h.contentLength >= 0) {
                    throw new BadMessage("both Content-Length and Transfer-Encoding in a request");
                }
                if (!h.chunked) {
                    throw new BadMessage("a request's Transfer-Encoding must end with chunked");
                }
            }
            return h;
        }

        private static int indexOfCrlf(byte[] b, int from, int to) {
            for (int i = from; i + 1 < to; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n') {
                    return i;
                }
            }
            return to;
        }

        private static int indexOf(byte[] b, byte c, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] == c) {
                    return i;
                }
            }
            return -1;
        }

        private static boolean isBlank(byte c) {
            return c == ' ' || c == '\t';
        }

        /** A non-negative decimal number filling b[from, to); -1 if it is not one (or overflows a long). */
        private static long digits(byte[] b, int from, int to) {
            if (from >= to || to - from > 18) {
                return -1;
            }
            long n = 0;
            for (int i = from; i < to; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return -1;
                }
                n = n * 10 + (b[i] - '0');
            }
            return n;
        }

        private static boolean startsWith(byte[] b, int from, int to, String prefix) {
            return to - from >= prefix.length() && equalsIgnoreCase(b, from, from + prefix.length(), prefix);
        }

        /** b[from, to) equals {@code lower} (ASCII, lower case) ignoring case. */
        private static boolean equalsIgnoreCase(byte[] b, int from, int to, String lower) {
            if (to - from != lower.length()) {
                return false;
            }
            for (int i = 0; i < lower.length(); i++) {
                int c = b[from + i];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != Character.toLowerCase(lower.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        private static String text(byte[] b, int from, int to) {
            return new String(b, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
        }
    }
}
