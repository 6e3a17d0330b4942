package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.testing.Privileges;

/** c2's silence once its bytes are acknowledged, on real loopback sockets (root: TCP_REPAIR). */
class C2SilencerTest {
    private final C2Silencer silencer = new C2Silencer();

    @BeforeEach
    void needsNetAdmin() {
        Privileges.assumeNetAdmin("C2SilencerTest (TCP_REPAIR on loopback sockets)");
    }

    /** After a silent close the peer reads neither a FIN nor data. */
    private static void assertPeerSeesNothing(SocketChannel peer) throws Exception {
        peer.socket().setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> peer.socket().getInputStream().read(),
                "no FIN and no RST after a silent close");
    }

    @Test
    void aC2WhoseRequestWasAcknowledgedIsSilencedAndClosesWithoutAFin() throws Exception {
        SocketChannel[] pair = LoopbackPair.open();
        try (SocketChannel c2 = pair[0]; SocketChannel target = pair[1]) {
            c2.write(ByteBuffer.wrap(new byte[100]));
            target.read(ByteBuffer.allocate(100));
            silencer.silenceWhenAcknowledged(LinuxTcp.fd(c2)).get(2, TimeUnit.SECONDS);
            c2.close();
            assertPeerSeesNothing(target);
        }
    }

    @Test
    void aC2WaitsForItsAcknowledgementBeforeGoingSilent() throws Exception {
        SocketChannel[] pair = LoopbackPair.open();
        try (SocketChannel c2 = pair[0]; SocketChannel target = pair[1]) {
            LinuxTcp.refuseSegments(LinuxTcp.fd(target)); // the target's kernel drops the request: no ACK
            c2.write(ByteBuffer.wrap(new byte[100]));
            CompletableFuture<Void> silent = silencer.silenceWhenAcknowledged(LinuxTcp.fd(c2));
            Thread.sleep(100);
            assertFalse(silent.isDone(), "its request is not acknowledged yet");
            LinuxTcp.acceptSegments(LinuxTcp.fd(target)); // the retransmission gets through and is acknowledged
            silent.get(3, TimeUnit.SECONDS);
            target.read(ByteBuffer.allocate(100));
            c2.close();
            assertPeerSeesNothing(target);
        }
    }
}
