package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The keep-alive loop's connections to other nodes, on real loopback connections (the test plays the loop). */
class LoopRelaysTest {
    private final Selector selector;
    private final RelayConnections shared = new RelayConnections();
    private final LoopRelays relays;
    private final SocketChannel[] pair;

    LoopRelaysTest() throws IOException {
        selector = Selector.open();
        relays = new LoopRelays(selector, shared, "node1");
        pair = LoopbackPair.open();
    }

    @AfterEach
    void closeAll() throws IOException {
        pair[0].close();
        pair[1].close();
        selector.close();
    }

    @Test
    void aConnectionComesFromTheSharedOnesOnceThenStaysWithTheLoop() {
        assertNull(relays.take("node2", "a"), "none kept yet");
        shared.give("node2", pair[0]);
        SelectionKey key = relays.take("node2", "a");
        assertSame(pair[0], key.channel());
        assertFalse(pair[0].isBlocking());
        assertEquals("a", key.attachment());
        relays.give("node2", key);
        assertEquals(1, relays.idleCount("node2"));
        assertEquals(0, shared.idleCount("node2"));
        assertSame(key, relays.take("node2", "b"), "the same connection, registered still");
        assertEquals("b", key.attachment());
        assertEquals(0, key.interestOps(), "in use: the loop sets what it waits for");
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleLimit() {
        shared.give("node2", pair[0]);
        SelectionKey key = relays.take("node2", "a");
        relays.give("node2", key);
        long now = System.nanoTime();
        relays.closeIdle(now);
        assertTrue(pair[0].isOpen(), "not idle for long");
        relays.closeIdle(now + RelayConnections.IDLE_LIMIT_NANOS);
        assertFalse(pair[0].isOpen());
        assertEquals(0, relays.idleCount("node2"));
        assertNull(relays.take("node2", "a"));
    }

    @Test
    void anIdleConnectionThatBecomesReadableIsClosed() throws IOException {
        shared.give("node2", pair[0]);
        SelectionKey key = relays.take("node2", "a");
        relays.give("node2", key);
        assertEquals(SelectionKey.OP_READ, key.interestOps(), "watched while idle");
        pair[1].close();
        selector.select(5_000);
        assertTrue(selector.selectedKeys().contains(key));
        relays.readable((LoopRelays.Idle) key.attachment());
        assertFalse(pair[0].isOpen());
        assertEquals(0, relays.idleCount("node2"));
    }

    @Test
    void theWebServersConnectionsAreKeptIdleForLessTime() throws IOException {
        SocketChannel[] web = LoopbackPair.open();
        try (SocketChannel a = web[0]; SocketChannel b = web[1]) {
            a.configureBlocking(false);
            relays.give("node1", a.register(selector, 0, "x"));
            shared.give("node2", pair[0]);
            relays.give("node2", relays.take("node2", "y"));
            relays.closeIdle(System.nanoTime() + LoopRelays.WEB_SERVER_IDLE_LIMIT_NANOS);
            assertFalse(a.isOpen(), "this node's web server: its limit");
            assertTrue(pair[0].isOpen(), "another node: the relay pool's limit");
        }
    }
}
