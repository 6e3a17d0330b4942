package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** HTTP framing on byte streams, including streams that deliver one byte at a time. */
class HttpInputTest {
    private static InputStream trickle(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return new ByteArrayInputStream(b) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 1));
            }
        };
    }

    /** What the agent sends to another node over a kept connection: the client's "close" taken out, nothing else. */
    @Test
    void aRequestKeepingTheConnectionOpenLosesOnlyItsOneConnectionClose() throws Exception {
        String close = "GET /b/x HTTP/1.1\r\nHost: x\r\nConnection: Close\r\nAccept: */*\r\n\r\n";
        String twoFields = "GET /b/y HTTP/1.1\r\nConnection: close\r\nConnection: close\r\n\r\n";
        String http10 = "GET /b/z HTTP/1.0\r\nConnection: close\r\n\r\n";
        String posted = "POST /b/p HTTP/1.1\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc";
        HttpInput in = new HttpInput(trickle(close + twoFields + http10 + posted));
        HttpInput.Request r = in.readRequest();
        assertFalse(r.keepAlive, "the client's connection still closes after its answer");
        assertArrayEquals("GET /b/x HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n".getBytes(), r.keepingOpen);
        assertArrayEquals(twoFields.getBytes(), in.readRequest().keepingOpen, "two fields: left as they are");
        assertArrayEquals(http10.getBytes(), in.readRequest().keepingOpen, "HTTP/1.0 closes without it");
        assertArrayEquals("POST /b/p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc".getBytes(), in.readRequest().keepingOpen);
        String open = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        HttpInput.Request kept = new HttpInput(trickle(open)).readRequest();
        assertArrayEquals(open.getBytes(), kept.keepingOpen);
    }

    /** The answer to such a request tells the client its connection closes, whatever the other node said. */
    @Test
    void aResponseRelayedToAClosingClientSaysConnectionClose() throws Exception {
        String none = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        String keep = "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok";
        String close = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
        HttpInput in = new HttpInput(trickle(none + keep + close + none));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(in.relayResponse(out, false, true), "the other node's connection stays open");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", out.toString());
        out.reset();
        assertTrue(in.relayResponse(out, false, true));
        assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", out.toString());
        out.reset();
        assertFalse(in.relayResponse(out, false, true));
        assertEquals(close, out.toString());
        out.reset();
        assertTrue(in.relayResponse(out, false, false));
        assertEquals(none, out.toString(), "not closing: as it came");
    }

    @Test
    void pipelinedRequestsWithBodiesComeOutWhole() throws Exception {
        String a = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        String b = "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
        String c = "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: t\r\n\r\n";
        String d = "GET /d HTTP/1.1\r\nConnection: close\r\n\r\n";
        HttpInput in = new HttpInput(trickle(a + b + c + d));
        HttpInput.Request ra = in.readRequest();
        assertEquals("/a", ra.path);
        assertArrayEquals(a.getBytes(), ra.raw);
        assertTrue(ra.keepAlive);
        assertArrayEquals(b.getBytes(), in.readRequest().raw);
        HttpInput.Request rc = in.readRequest();
        assertEquals("POST", rc.method);
        assertArrayEquals(c.getBytes(), rc.raw, "chunked body and trailers forwarded verbatim");
        HttpInput.Request rd = in.readRequest();
        assertFalse(rd.keepAlive);
        assertNull(in.readRequest(), "clean end of stream");
    }

    @Test
    void aShortRequestAfterALongOneIsFoundWhenEachArrivesInOneRead() throws Exception {
        // Keep-alive as curl does it: one whole request per read, the buffer emptied in between.
        String first = "GET /a/a-rather-long-path-to-make-this-head-longer HTTP/1.1\r\nHost: x\r\n\r\n";
        String second = "GET /b HTTP/1.1\r\n\r\n";
        java.util.Iterator<String> reads = java.util.List.of(first, second).iterator();
        InputStream perRequest = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (!reads.hasNext()) {
                    return -1;
                }
                byte[] next = reads.next().getBytes(StandardCharsets.ISO_8859_1);
                System.arraycopy(next, 0, b, off, next.length);
                return next.length;
            }
        };
        HttpInput in = new HttpInput(perRequest);
        assertEquals("/a/a-rather-long-path-to-make-this-head-longer", in.readRequest().path);
        assertEquals("/b", in.readRequest().path);
    }

    @Test
    void whatWasReadPastARequestIsKept() throws Exception {
        String two = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
        HttpInput in = new HttpInput(new ByteArrayInputStream(two.getBytes()));
        in.readRequest();
        assertEquals("GET /b HTTP/1.1\r\n\r\n", new String(in.buffered()), "the pipelined request a handoff forwards too");
    }

    @Test
    void responsesAreRelayedByTheirFraming() throws Exception {
        String fixed = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n";
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n";
        String noContent = "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n";
        String closing = "HTTP/1.0 200 OK\r\n\r\nuntil the end";
        HttpInput in = new HttpInput(trickle(fixed + chunked + head + noContent + closing));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(in.relayResponse(out, false));
        assertEquals(fixed, out.toString());
        assertEquals(fixed.length(), in.lastResponseLength(), "known in advance: the keep-alive loop may take it");
        out.reset();
        assertTrue(in.relayResponse(out, false));
        assertEquals(chunked, out.toString());
        assertEquals(-1, in.lastResponseLength(), "chunked: not known in advance");
        out.reset();
        assertTrue(in.relayResponse(out, true));
        assertEquals(head, out.toString(), "no body after HEAD");
        assertEquals(head.length(), in.lastResponseLength());
        out.reset();
        assertTrue(in.relayResponse(out, false));
        assertEquals(noContent, out.toString(), "no body for 304");
        out.reset();
        assertFalse(in.relayResponse(out, false), "close-delimited: the connection cannot be reused");
        assertEquals(closing, out.toString());
    }

    @Test
    void headersAreMatchedWithoutRegardToCaseOrBlanks() throws Exception {
        HttpInput in = new HttpInput(trickle("GET /a HTTP/1.1\r\nconnection:  Close \r\n\r\n"
                + "GET /b HTTP/1.0\r\nCONNECTION: keep-alive\r\n\r\n"
                + "GET /c HTTP/1.0\r\nHost: x\r\n\r\n"
                + "POST /d HTTP/1.1\r\ncontent-LENGTH:\t2 \r\n\r\nhi"));
        assertFalse(in.readRequest().keepAlive, "1.1 with Connection: close");
        HttpInput.Request b = in.readRequest();
        assertTrue(b.keepAlive, "1.0 asking for keep-alive");
        assertEquals("/b", b.path);
        assertFalse(in.readRequest().keepAlive, "1.0 by default closes");
        HttpInput.Request d = in.readRequest();
        assertEquals("POST", d.method);
        assertTrue(new String(d.raw, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\n\r\nhi"), "its body");
        String response = "HTTP/1.1 200 OK\r\nTRANSFER-encoding: gzip, Chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(new HttpInput(trickle(response)).relayResponse(out, false));
        assertEquals(response, out.toString());
        assertThrows(HttpInput.BadMessage.class,
                () -> new HttpInput(trickle("HTTP/1.1 2x0 OK\r\n\r\n")).relayResponse(new ByteArrayOutputStream(), false));
    }

    @Test
    void malformedInputIsReportedNotGuessed() {
        assertThrows(HttpInput.BadMessage.class, () -> new HttpInput(trickle("NOT HTTP\r\n\r\n")).readRequest());
        assertThrows(HttpInput.BadMessage.class,
                () -> new HttpInput(trickle("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n")).readRequest());
        assertThrows(HttpInput.BadMessage.class,
                () -> new HttpInput(trickle("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")).readRequest());
        assertThrows(HttpInput.BadMessage.class,
                () -> new HttpInput(trickle("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")).readRequest());
        assertThrows(HttpInput.BadMessage.class, () -> new HttpInput(trickle("GET / HTT")).readRequest());
    }

    private static String refusal(String request) {
        return assertThrows(HttpInput.BadMessage.class, () -> new HttpInput(trickle(request)).readRequest(), request)
                .getMessage();
    }

    /**
     * Heads a web server would read differently from a lenient proxy (RFC 9112 6.3, 11.2) are refused
     * outright: the agent answers 400 and closes before it relays or hands off anything.
     */
    @Test
    void requestHeadsThatCouldSmuggleARequestAreRefused() {
        String chunkedBody = "\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        assertTrue(refusal("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked" + chunkedBody)
                .contains("both Content-Length and Transfer-Encoding"));
        assertTrue(refusal("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde")
                .contains("differ"));
        assertTrue(refusal("POST / HTTP/1.1\r\nContent-Length : 3\r\n\r\nabc").contains("colon"));
        assertTrue(refusal("GET / HTTP/1.1\r\nHost: x\r\n folded: value\r\n\r\n").contains("folding"));
        assertTrue(refusal("GET / HTTP/1.1\r\nno colon here\r\n\r\n").contains("without a field name"));
        assertTrue(refusal("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc").contains("Content-Length"));
        assertTrue(refusal("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n").contains("Content-Length"));
        assertTrue(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip" + chunkedBody).contains("chunked"));
        assertTrue(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n").contains("chunked"));
        for (String size : new String[] {"+3", " 3", "3x", "", "-1", "1000000000000000"}) {
            assertTrue(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nabc\r\n0\r\n\r\n")
                    .contains("chunk size"), size);
        }
        String longHead = "GET / HTTP/1.1\r\nX: " + "y".repeat(HttpInput.MAX_HEAD) + "\r\n\r\n";
        assertTrue(refusal(longHead).contains("longer than"));
    }

    @Test
    void whatTheRfcAllowsStillPasses() throws Exception {
        HttpInput in = new HttpInput(trickle("POST /a HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"
                + "POST /b HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3 ;ext=1\r\nabc\r\n0\r\n\r\n"
                + "POST /c HTTP/1.1\r\nTransfer-Encoding: CHUNKED\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"));
        assertEquals("/a", in.readRequest().path, "identical duplicate Content-Length fields are one");
        assertEquals("/b", in.readRequest().path, "chunked last; blanks before a chunk extension");
        assertEquals("/c", in.readRequest().path);
    }
}
