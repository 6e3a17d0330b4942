package org.tcpsplice.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * HTTP/1.1 message framing over a byte stream: whole requests as raw bytes (a handoff forwards them
 * verbatim), and responses streamed through by their framing (Content-Length, chunked, or until
 * close). Keeps what it read past the current message, for pipelined requests.
 */
final class HttpInput {
    /** Longest request or response head accepted. */
    static final int MAX_HEAD = 64 * 1024;

    private final InputStream in;
    private byte[] buf = new byte[16 * 1024];
    private int start;
    private int end;

    HttpInput(InputStream in) {
        this.in = in;
    }

    /** A parsed request: its raw bytes (head and body) and what routing needs. */
    static final class Request {
        final byte[] raw;
        final String method;
        final String path;
        final boolean keepAlive;

        Request(byte[] raw, String method, String path, boolean keepAlive) {
            this.raw = raw;
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
        Head head = Head.parse(new String(buf, start, headEnd - start, StandardCharsets.ISO_8859_1), true);
        ByteArrayOutputStream raw = new ByteArrayOutputStream(headEnd - start + 256);
        raw.write(buf, start, headEnd - start);
        start = headEnd;
        if (head.chunked) {
            copyChunked(raw);
        } else if (head.contentLength > 0) {
            copyExactly(raw, head.contentLength);
        }
        boolean keepAlive = head.version11 ? !"close".equals(head.connection) : "keep-alive".equals(head.connection);
        return new Request(raw.toByteArray(), head.method, head.target, keepAlive);
    }

    /**
     * Copies one whole response to {@code out}; returns whether the connection may carry another.
     * {@code headRequest}: the response to a HEAD has no body whatever its headers say.
     */
    boolean relayResponse(OutputStream out, boolean headRequest) throws IOException {
        int headEnd = findHeadEnd();
        if (headEnd < 0) {
            throw new BadMessage("the web server closed the connection without a response");
        }
        Head head = Head.parse(new String(buf, start, headEnd - start, StandardCharsets.ISO_8859_1), false);
        out.write(buf, start, headEnd - start);
        start = headEnd;
        boolean noBody = headRequest || head.status / 100 == 1 || head.status == 204 || head.status == 304;
        boolean keepAlive = head.version11 ? !"close".equals(head.connection) : "keep-alive".equals(head.connection);
        if (noBody) {
            // nothing
        } else if (head.chunked) {
            copyChunked(out);
        } else if (head.contentLength >= 0) {
            copyExactly(out, head.contentLength);
        } else {
            copyUntilClose(out);
            keepAlive = false;
        }
        out.flush();
        return keepAlive;
    }

    // ---------------------------------------------------------------- framing

    private int findHeadEnd() throws IOException {
        // How far past start has been searched; relative, because fill() may move the data to offset 0.
        int searched = 0;
        while (true) {
            for (int i = start + Math.max(searched, 3); i < end; i++) {
                if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                    return i + 1;
                }
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

    private void copyChunked(OutputStream out) throws IOException {
        while (true) {
            String sizeLine = line(out);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new BadMessage("bad chunk size '" + sizeLine + "'");
            }
            if (size < 0) {
                throw new BadMessage("negative chunk size");
            }
            if (size == 0) {
                while (!line(out).isEmpty()) {
                    // trailer fields, copied as they are
                }
                return;
            }
            copyExactly(out, size);
            if (!line(out).isEmpty()) {
                throw new BadMessage("chunk data not followed by CRLF");
            }
        }
    }

    /** The start line and the headers framing depends on. */
    private static final class Head {
        String method;
        String target;
        int status;
        boolean version11;
        long contentLength = -1;
        boolean chunked;
        String connection = "";

        static Head parse(String text, boolean request) throws BadMessage {
            // By index, without regular expressions or per-header lower-casing: this runs for every
            // request and every response the agent relays (it was the agent's top CPU cost).
            int lineEnd = text.indexOf("\r\n");
            String first = lineEnd < 0 ? text : text.substring(0, lineEnd);
            String[] start = first.split(" ", 3);
            Head h = new Head();
            if (request) {
                if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
                    throw new BadMessage("not an HTTP/1.x request line: '" + first + "'");
                }
                h.method = start[0];
                h.target = start[1];
                h.version11 = start[2].equals("HTTP/1.1");
            } else {
                if (start.length < 2 || !start[0].startsWith("HTTP/1.")) {
                    throw new BadMessage("not an HTTP/1.x status line: '" + first + "'");
                }
                h.version11 = start[0].equals("HTTP/1.1");
                try {
                    h.status = Integer.parseInt(start[1]);
                } catch (NumberFormatException e) {
                    throw new BadMessage("bad status code in '" + first + "'");
                }
            }
            for (int at = lineEnd < 0 ? text.length() : lineEnd + 2; at < text.length(); ) {
                int next = text.indexOf("\r\n", at);
                int end = next < 0 ? text.length() : next;
                int colon = text.indexOf(':', at);
                if (colon > at && colon < end) {
                    String value = text.substring(colon + 1, end).trim();
                    if (isHeader(text, at, colon, "content-length")) {
                        try {
                            h.contentLength = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw new BadMessage("bad Content-Length '" + value + "'");
                        }
                    } else if (isHeader(text, at, colon, "transfer-encoding")) {
                        h.chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                    } else if (isHeader(text, at, colon, "connection")) {
                        h.connection = value.toLowerCase(Locale.ROOT);
                    }
                }
                at = end + 2;
            }
            return h;
        }

        /** Whether text[from, colon) is the header name, ignoring case and spaces before the colon. */
        private static boolean isHeader(String text, int from, int colon, String name) {
            int end = colon;
            while (end > from && text.charAt(end - 1) == ' ') {
                end--;
            }
            return end - from == name.length() && text.regionMatches(true, from, name, 0, name.length());
        }
    }
}
