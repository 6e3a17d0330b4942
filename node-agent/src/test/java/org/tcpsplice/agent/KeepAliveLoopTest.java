package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive loop on real loopback sockets: a client, the agent's two channels, and a web server
 * played by the test that answers each request with the next response it is given. The loop serves
 * short responses itself; anything else reaches the resumer (here the test, in place of a thread)
 * with every byte read so far. No fakes but the web server's answers.
 */
class KeepAliveLoopTest {
    private static final String GET = "GET /a/x HTTP/1.1\r\nHost: t\r\n\r\n";

    private SocketChannel clientEnd;   // the client
    private SocketChannel client;      // the agent's end of it
    private SocketChannel server;      // the agent's connection to the web server
    private SocketChannel serverEnd;   // the web server's end
    private SocketChannel relay;       // the agent's kept connection to node2
    private SocketChannel node2End;    // node2's end of it
    private final BlockingQueue<String> requestsSeen = new LinkedBlockingQueue<>();
    private final BlockingQueue<Resumed> resumed = new LinkedBlockingQueue<>();
    private KeepAliveLoop loop;
    private final RelayConnections relays = new RelayConnections();

    private static final class Resumed {
        final byte[] clientBytes;
        final Upstream upstream;
        final KeepAliveLoop.Pending pending;

        Resumed(byte[] clientBytes, Upstream upstream, KeepAliveLoop.Pending pending) {
            this.clientBytes = clientBytes;
            this.upstream = upstream;
            this.pending = pending;
        }
    }

    @BeforeEach
    void connect() throws IOException {
        SocketChannel[] c = LoopbackPair.open();
        clientEnd = c[0];
        client = c[1];
        SocketChannel[] s = LoopbackPair.open();
        server = s[0];
        serverEnd = s[1];
        SocketChannel[] r = LoopbackPair.open();
        relay = r[0];
        node2End = r[1];
        AgentConfig config = node1WithNode2();
        loop = KeepAliveLoop.start(config, new DispatchPolicy(config), relays);
    }

    /** The agent of node1, /b/ served by node2. */
    private static AgentConfig node1WithNode2() {
        AgentConfig config = new AgentConfig();
        config.nodeId = "node1";
        config.nodes = Map.of("node1", "127.0.0.1", "node2", "127.0.0.2");
        AgentConfig.Rule toNode2 = new AgentConfig.Rule();
        toNode2.prefix = "/b/";
        toNode2.node = "node2";
        config.rules = List.of(toNode2);
        return config;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (SocketChannel s : new SocketChannel[] {clientEnd, client, server, serverEnd, relay, node2End}) {
            s.close();
        }
    }

    private void park() {
        park(client, new Upstream(server, client, false));
    }

    /** Parks the agent's end of a client connection, with its web server's connection (or none); a hand-back goes to {@link #resumed}. */
    private void park(SocketChannel agentEnd, Upstream webServer) {
        loop.park(agentEnd, webServer, new DispatchPolicy.Run(), (bytes, upstream, pending) -> {
            resumed.add(new Resumed(bytes, upstream, pending));
            return () -> { };
        });
    }

    /** The web server: answers the next request it reads with {@code response}, in pieces if asked. */
    private CompletableFuture<Void> answer(String response) {
        return answer(serverEnd, response);
    }

    /** As above, by the server at the far end of {@code end}: the web server, or another node. */
    private CompletableFuture<Void> answer(SocketChannel end, String response) {
        return CompletableFuture.runAsync(() -> {
            try {
                requestsSeen.add(readHead(Channels.newInputStream(end)));
                end.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private void send(String request) throws IOException {
        clientEnd.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private String receive(int length) throws IOException {
        byte[] got = Channels.newInputStream(clientEnd).readNBytes(length);
        return new String(got, StandardCharsets.ISO_8859_1);
    }

    private static String response(int bodyLength, String extraHeaders) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + bodyLength + "\r\n" + extraHeaders + "\r\n" + "x".repeat(bodyLength);
    }

    @Test
    void shortResponsesAreServedByTheLoopRequestAfterRequest() throws Exception {
        park();
        for (int size : new int[] {1024, 0, 30_000}) {
            String response = response(size, "");
            CompletableFuture<Void> served = answer(response);
            send(GET);
            assertEquals(response, receive(response.length()));
            served.get(5, TimeUnit.SECONDS);
            assertEquals(GET, requestsSeen.take(), "the request reaches the web server as the client sent it");
        }
        assertNull(resumed.poll(), "no thread was needed");
    }

    @Test
    void aHeadRequestsResponseEndsAfterItsHead() throws Exception {
        park();
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n";
        answer(head);
        send("HEAD /a/x HTTP/1.1\r\nHost: t\r\n\r\n");
        assertEquals(head, receive(head.length()));
        String next = response(10, "");
        answer(next);
        send(GET);
        assertEquals(next, receive(next.length()), "the connection goes on after a HEAD");
        assertNull(resumed.poll());
    }

    @Test
    void aRequestForAnotherNodeWithoutAKeptConnectionGoesBackToAThreadUnread() throws Exception {
        park();
        String forNode2 = "GET /b/y HTTP/1.1\r\nHost: t\r\n\r\n";
        send(forNode2);
        Resumed r = resumed.poll(5, TimeUnit.SECONDS);
        assertEquals(forNode2, new String(r.clientBytes, StandardCharsets.ISO_8859_1), "every byte, for the handoff");
        assertNull(r.pending, "nothing was sent to the web server");
        assertTrue(client.isBlocking() && server.isBlocking(), "the thread gets blocking channels back");
    }

    @Test
    void aChunkedResponseGoesBackToAThreadWithWhatTheLoopRead() throws Exception {
        park();
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        answer(chunked);
        send(GET);
        Resumed r = resumed.poll(5, TimeUnit.SECONDS);
        assertFalse(r.pending.headRequest);
        assertEquals(0, r.pending.unsent.length, "the request went out whole");
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(client));
        assertTrue(r.upstream.relayResponse(r.pending.headRequest, false, out), "the thread relays it from the bytes handed over");
        assertArrayEquals(chunked.getBytes(StandardCharsets.ISO_8859_1), receive(chunked.length()).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aResponseThatClosesTheConnectionClosesTheClientsToo() throws Exception {
        park();
        String last = response(100, "Connection: close\r\n");
        answer(last);
        send(GET);
        assertEquals(last, receive(last.length()));
        assertEquals(-1, Channels.newInputStream(clientEnd).read(), "closed after the response");
        assertNull(resumed.poll());
    }

    private static final String FOR_NODE2 = "GET /b/y HTTP/1.1\r\nHost: t\r\n\r\n";

    @Test
    void shortResponsesOfAnotherNodeAreRelayedByTheLoopOverOneKeptConnection() throws Exception {
        relays.give("node2", relay);
        park();
        for (int i = 0; i < 3; i++) {
            String response = response(1000 + i, "");
            CompletableFuture<Void> relayed = answer(node2End, response);
            send(FOR_NODE2);
            assertEquals(response, receive(response.length()));
            relayed.get(5, TimeUnit.SECONDS);
            assertEquals(FOR_NODE2, requestsSeen.take(), "the request reaches node2 as the client sent it");
            String local = response(10, "");
            answer(local);
            send(GET);
            assertEquals(local, receive(local.length()), "the web server's connection stays the connection's own");
            assertEquals(GET, requestsSeen.take());
        }
        assertNull(resumed.poll(), "no thread was needed");
        assertEquals(0, relays.idleCount("node2"), "the loop keeps the connection it took");
    }

    @Test
    void aKeptConnectionTheOtherNodeClosesIsDroppedAndTheNextRequestGoesToAThread() throws Exception {
        relays.give("node2", relay);
        park();
        String response = response(10, "");
        answer(node2End, response);
        send(FOR_NODE2);
        assertEquals(response, receive(response.length()));
        node2End.close(); // as nginx closes an idle keep-alive connection
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (relay.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(relay.isOpen(), "the loop saw the close while the connection was idle");
        send(FOR_NODE2);
        Resumed r = resumed.poll(5, TimeUnit.SECONDS);
        assertEquals(FOR_NODE2, new String(r.clientBytes, StandardCharsets.ISO_8859_1), "unread, for the thread to relay");
        assertNull(r.pending);
    }

    @Test
    void aRequestThePolicyHandsOffGoesBackToAThreadUnread() throws Exception {
        AgentConfig always = node1WithNode2();
        always.dispatch = AgentConfig.DISPATCH_ALWAYS;
        loop = KeepAliveLoop.start(always, new DispatchPolicy(always), relays);
        relays.give("node2", relay);
        park();
        send(FOR_NODE2);
        Resumed r = resumed.poll(5, TimeUnit.SECONDS);
        assertEquals(FOR_NODE2, new String(r.clientBytes, StandardCharsets.ISO_8859_1), "every byte, for the handoff");
        assertNull(r.pending);
        assertEquals(1, relays.idleCount("node2"), "the kept connection was not taken");
    }

    @Test
    void aLongResponseOfAnotherNodeGoesBackToAThreadWithItsConnection() throws Exception {
        relays.give("node2", relay);
        park();
        String big = response(KeepAliveLoop.RESPONSE_LIMIT + 1, "");
        answer(node2End, big);
        send(FOR_NODE2);
        Resumed r = resumed.poll(5, TimeUnit.SECONDS);
        assertEquals("node2", r.pending.node);
        assertEquals("/b/y", r.pending.path);
        assertEquals(0, r.clientBytes.length);
        assertTrue(r.pending.upstream.server().isBlocking() && r.upstream.server().isBlocking() && client.isBlocking());
        CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
            try {
                return receive(big.length());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(client));
        assertTrue(r.pending.upstream.relayResponse(r.pending.headRequest, false, out), "the thread relays the rest over node2's connection");
        assertEquals(big, got.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aNewConnectionsRequestsAreServedByTheLoopOverAWebServerConnectionItOpensAndTheNextClientReuses() throws Exception {
        try (java.nio.channels.ServerSocketChannel web = java.nio.channels.ServerSocketChannel.open()) {
            web.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            AgentConfig config = node1WithNode2();
            config.webServer = "127.0.0.1:" + ((java.net.InetSocketAddress) web.getLocalAddress()).getPort();
            loop = KeepAliveLoop.start(config, new DispatchPolicy(config), relays);
            park(client, null);
            send(GET);
            try (SocketChannel accepted = web.accept()) {
                String response = response(100, "");
                CompletableFuture<Void> served = answer(accepted, response);
                assertEquals(response, receive(response.length()));
                served.get(5, TimeUnit.SECONDS);
                assertEquals(GET, requestsSeen.take());
                String next = response(7, "");
                answer(accepted, next);
                send(GET);
                assertEquals(next, receive(next.length()), "the next request over the same connection");
                clientEnd.close(); // the client goes; its web server connection stays for the next client
                SocketChannel[] second = LoopbackPair.open();
                try (SocketChannel secondEnd = second[0]; SocketChannel secondClient = second[1]) {
                    park(secondClient, null);
                    String third = response(3, "");
                    CompletableFuture<Void> reused = answer(accepted, third);
                    secondEnd.write(ByteBuffer.wrap(GET.getBytes(StandardCharsets.ISO_8859_1)));
                    assertEquals(third, new String(Channels.newInputStream(secondEnd).readNBytes(third.length()),
                            StandardCharsets.ISO_8859_1), "served over the connection the first client left");
                    reused.get(5, TimeUnit.SECONDS);
                }
            }
            assertNull(resumed.poll());
        }
    }

    @Test
    void aConnectionCloseRequestForAnotherNodeIsRelayedWithoutItsCloseAndTheResponseGetsIt() throws Exception {
        relays.give("node2", relay);
        park();
        String response = response(5, "Connection: keep-alive\r\n");
        answer(node2End, response);
        send("GET /b/y HTTP/1.1\r\nConnection: close\r\nHost: t\r\n\r\n");
        String expected = response.replace("Connection: keep-alive", "Connection: close");
        assertEquals(expected, receive(expected.length()));
        assertEquals(-1, Channels.newInputStream(clientEnd).read(), "the client's connection closes after it");
        assertEquals(FOR_NODE2, requestsSeen.take(), "node2 got the request without the close");
        assertTrue(relay.isOpen(), "the connection to node2 is kept for other clients");
        assertNull(resumed.poll());
    }
}
