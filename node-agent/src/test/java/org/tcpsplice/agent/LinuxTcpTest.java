package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.testing.Privileges;

/** The native calls on real loopback sockets (root): numbers, options, saved SYN, and a silent close. */
class LinuxTcpTest {
    @BeforeEach
    void needsNetAdmin() {
        Privileges.assumeNetAdmin("LinuxTcpTest (TCP_REPAIR on loopback sockets)");
    }

    @Test
    void exactNumbersOptionsAndSilentClose() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            LinuxTcp.saveSyn(LinuxTcp.fd(listener));
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            SocketChannel server = listener.accept();
            int sfd = LinuxTcp.fd(server);
            int cfd = LinuxTcp.fd(client);

            long synTsval = LinuxTcp.savedSynTsval(sfd);
            assertTrue(synTsval >= 0, "the client's SYN carried a timestamp (Linux default)");
            LinuxTcp.Info info = LinuxTcp.info(sfd);
            assertTrue(info.timestamps && info.sack, "Linux negotiates timestamps and SACK by default");
            assertTrue(info.sndMss > 0);

            int[] before = LinuxTcp.sequenceNumbers(sfd);
            int[] peer = LinuxTcp.sequenceNumbers(cfd);
            assertEquals(peer[1], before[0], "server's snd_nxt is the client's rcv_nxt");
            assertEquals(peer[0], before[1], "server's rcv_nxt is the client's snd_nxt");
            server.write(ByteBuffer.wrap(new byte[1000]));
            client.read(ByteBuffer.allocate(2000));
            int[] after = LinuxTcp.sequenceNumbers(sfd);
            assertEquals(before[0] + 1000, after[0], "snd_nxt moved by the bytes written");
            long deadline = System.currentTimeMillis() + 2000;
            while (LinuxTcp.unacknowledged(sfd) != 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, LinuxTcp.unacknowledged(sfd), "the client's ACK empties the server's unacknowledged bytes");
            int clock1 = LinuxTcp.timestampClock(sfd);
            Thread.sleep(20);
            assertTrue(LinuxTcp.timestampClock(sfd) - clock1 >= 10, "the TS clock ticks in milliseconds");

            // Silence the server end and close it: the client must see neither FIN (EOF) nor RST.
            LinuxTcp.silence(sfd);
            server.close();
            client.socket().setSoTimeout(300);
            try {
                int n = client.socket().getInputStream().read();
                throw new AssertionError("the peer saw " + (n < 0 ? "a FIN" : "data") + " after a silent close");
            } catch (SocketTimeoutException expected) {
                // nothing arrived: no FIN, no RST
            }
            client.close();
        }
    }

    /** A connected pair of loopback sockets, closed together. */
    private static final class LoopbackPair implements AutoCloseable {
        final ServerSocketChannel listener = ServerSocketChannel.open();
        final SocketChannel client;
        final SocketChannel server;

        LoopbackPair() throws IOException {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            client = SocketChannel.open(listener.getLocalAddress());
            server = listener.accept();
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
            listener.close();
        }
    }

    /**
     * While a handoff is under way the node's c1 takes in nothing: the client's bytes are neither queued
     * nor acknowledged, so the client sends them again (into the splice, or here once the filter is off).
     */
    @Test
    void aSocketRefusingSegmentsNeitherTakesNorAcknowledgesBytes() throws Exception {
        try (LoopbackPair pair = new LoopbackPair()) {
            int sfd = LinuxTcp.fd(pair.server);
            int cfd = LinuxTcp.fd(pair.client);
            pair.client.write(ByteBuffer.wrap("before".getBytes()));
            long deadline = System.currentTimeMillis() + 2000;
            while (LinuxTcp.unread(sfd) < 6 && System.currentTimeMillis() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(6, LinuxTcp.unread(sfd), "taken in and not read yet");
            LinuxTcp.refuseSegments(sfd);
            pair.client.write(ByteBuffer.wrap("during".getBytes()));
            Thread.sleep(300);
            assertEquals(6, LinuxTcp.unread(sfd), "nothing more taken in");
            assertEquals(6, LinuxTcp.unacknowledged(cfd), "and nothing acknowledged: the client still holds it");
            LinuxTcp.acceptSegments(sfd);
            deadline = System.currentTimeMillis() + 5000;
            while (LinuxTcp.unread(sfd) < 12 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            ByteBuffer got = ByteBuffer.allocate(12);
            while (got.hasRemaining() && System.currentTimeMillis() < deadline) {
                pair.server.read(got);
            }
            assertEquals("beforeduring", new String(got.array()), "retransmitted once the filter is off, in order");
        }
    }

    @Test
    void acknowledgeNowSendsTheDelayedAck() throws Exception {
        try (LoopbackPair pair = new LoopbackPair()) {
            int cfd = LinuxTcp.fd(pair.client);
            ByteBuffer in = ByteBuffer.allocate(100);
            // Requests answered at once put the server in interactive (ping-pong) mode: from then on
            // its kernel delays the ACK of a request, to send it with the response.
            for (int i = 0; i < 3; i++) {
                pair.client.write(ByteBuffer.wrap(new byte[10]));
                pair.server.read(in.clear());
                pair.server.write(ByteBuffer.wrap(new byte[10]));
                pair.client.read(in.clear());
            }
            pair.client.write(ByteBuffer.wrap(new byte[10]));
            pair.server.read(in.clear());
            Thread.sleep(5);
            assertEquals(10, LinuxTcp.unacknowledged(cfd), "the server's kernel holds the request's ACK back");
            LinuxTcp.acknowledgeNow(LinuxTcp.fd(pair.server));
            Thread.sleep(5); // well under the 40 ms delayed-ACK timer
            assertEquals(0, LinuxTcp.unacknowledged(cfd), "the ACK left at once");
        }
    }

    @Test
    void readingTheNumbersSendsNothing() throws Exception {
        try (LoopbackPair pair = new LoopbackPair()) {
            int sfd = LinuxTcp.fd(pair.server);
            pair.server.write(ByteBuffer.wrap(new byte[100]));
            pair.client.read(ByteBuffer.allocate(200));
            Thread.sleep(50); // the client's ACK, so nothing is left for the server to send
            int sent = LinuxTcp.info(sfd).segmentsSent;
            LinuxTcp.sequenceNumbers(sfd);
            assertEquals(sent, LinuxTcp.info(sfd).segmentsSent,
                    "leaving repair mode sent a segment (a window probe) to the peer");
        }
    }
}
