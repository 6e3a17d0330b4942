package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.testing.Privileges;

/** The packet socket on real loopback connections (root): the SYN-ACK's TSval, and nothing but SYN-ACKs. */
class SynAckWatchTest {
    private static final int LOOPBACK = Ipv4.parse("127.0.0.1");

    @BeforeEach
    void needsNetRaw() {
        Privileges.assumeNetAdmin("SynAckWatchTest (a packet socket on loopback)");
    }

    @Test
    void theSynAckOfTheExpectedConnectionGivesThePeersTimestampClock() throws Exception {
        try (SynAckWatch watch = SynAckWatch.open(LOOPBACK);
             ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel client = SocketChannel.open()) {
            int listening = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            client.bind(new InetSocketAddress("127.0.0.1", 0));
            int local = ((InetSocketAddress) client.getLocalAddress()).getPort();
            SynAckWatch.Expected synAck = watch.expect(LOOPBACK, listening, local);
            SynAckWatch.Expected none = watch.expect(LOOPBACK, listening, local == 65535 ? 1 : local + 1);
            client.connect(listener.getLocalAddress());
            try (SocketChannel server = listener.accept()) {
                long tsval = synAck.tsval(1000);
                // Linux offsets each connection's clock at random: only this connection's SYN-ACK is this close
                // (the socket option and the SYN-ACK round the same clock apart: a millisecond either way).
                long clock = Integer.toUnsignedLong(LinuxTcp.timestampClock(LinuxTcp.fd(server)));
                assertTrue(tsval >= 0 && clock - tsval >= -1 && clock - tsval < 1000,
                        "the SYN-ACK's TSval " + tsval + " is the server's clock " + clock + " a moment before");
                assertEquals(-1, none.tsval(50), "another port's SYN-ACK never came");

                // The filter passes SYN-ACKs only: the same connection's data is not one.
                SynAckWatch.Expected data = watch.expect(LOOPBACK, listening, local);
                server.write(ByteBuffer.wrap(new byte[100]));
                assertEquals(-1, data.tsval(200), "data on the connection is not a SYN-ACK");
            }
        }
    }
}
