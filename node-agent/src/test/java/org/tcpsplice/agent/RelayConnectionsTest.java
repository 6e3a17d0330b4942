package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's idle connections to other nodes, on real loopback TCP connections. */
class RelayConnectionsTest {
    private final List<SocketChannel> opened = new ArrayList<>();

    private SocketChannel[] pair() throws Exception {
        SocketChannel[] p = LoopbackPair.open();
        opened.add(p[0]);
        opened.add(p[1]);
        return p;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (SocketChannel c : opened) {
            c.close();
        }
    }

    @Test
    void aConnectionGivenBackIsTakenAgainForTheSameNodeOnlyAndStillBlocking() throws Exception {
        RelayConnections pool = new RelayConnections();
        assertNull(pool.take("node2"));
        SocketChannel c = pair()[0];
        pool.give("node2", c);
        assertNull(pool.take("node3"));
        assertSame(c, pool.take("node2"));
        assertTrue(c.isBlocking(), "the kernel relay needs a blocking socket");
        assertNull(pool.take("node2"), "taken once");
    }

    @Test
    void aConnectionTheOtherSideClosedOrThatHasUnaskedBytesIsClosedNotTaken() throws Exception {
        RelayConnections pool = new RelayConnections();
        SocketChannel[] closedByPeer = pair();
        SocketChannel[] chatty = pair();
        pool.give("node2", closedByPeer[0]);
        pool.give("node2", chatty[0]);
        closedByPeer[1].close();
        chatty[1].write(ByteBuffer.wrap(new byte[] {'x'}));
        Thread.sleep(100); // the FIN and the byte arrive
        assertNull(pool.take("node2"));
        assertFalse(closedByPeer[0].isOpen());
        assertFalse(chatty[0].isOpen());
    }

    @Test
    void atMostPerNodeConnectionsWaitTheOldestClosedFirst() throws Exception {
        RelayConnections pool = new RelayConnections();
        SocketChannel first = pair()[0];
        pool.give("node2", first);
        for (int i = 0; i < RelayConnections.PER_NODE; i++) {
            pool.give("node2", pair()[0]);
        }
        assertEquals(RelayConnections.PER_NODE, pool.idleCount("node2"));
        assertFalse(first.isOpen());
    }

    @Test
    void connectionsIdleForTheLimitAreClosedWithoutBeingTaken() throws Exception {
        RelayConnections pool = new RelayConnections();
        SocketChannel old = pair()[0];
        pool.give("node2", old);
        long later = System.nanoTime() + RelayConnections.IDLE_LIMIT_NANOS;
        SocketChannel recent = pair()[0];
        pool.give("node3", recent);
        pool.closeIdle(System.nanoTime());
        assertEquals(1, pool.idleCount("node2"), "not idle long enough yet");
        pool.closeIdle(later);
        assertFalse(old.isOpen());
        assertEquals(0, pool.idleCount("node2"));
        assertTrue(recent.isOpen(), "given back after the other: idle for less than the limit at that time");
        assertEquals(1, pool.idleCount("node3"));
    }
}
