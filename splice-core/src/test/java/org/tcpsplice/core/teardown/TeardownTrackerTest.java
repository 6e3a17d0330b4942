package org.tcpsplice.core.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.CLIENT_KEY;
import static org.tcpsplice.core.testing.Figure2.C3;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.testing.Figure2;

/** Teardown with a fake clock (an AtomicLong of milliseconds): FIN/RST per direction, linger, TCP_WAIT idle. */
class TeardownTrackerTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Figure2 fig = Figure2.afterBothHandoffs();
    private final TeardownTracker tracker = new TeardownTracker(fig.tables, new TeardownPolicy(60, 5), clock::get);

    /** No data path but the one this tracker sees. */
    private static final java.util.function.Predicate<org.tcpsplice.core.net.FourTuple> NOWHERE_ELSE = k -> false;

    private void advanceSeconds(int s) {
        clock.addAndGet(s * 1000L);
    }

    @Test
    void bothFinsThenLingerRemovesTheSplice() {
        tracker.onPacket(CLIENT_KEY, true, TcpFlags.ACK | TcpFlags.FIN);
        assertEquals("client closed its side", CloseState.describe(fig.tables.closeState(CLIENT_KEY)));
        advanceSeconds(10);
        assertTrue(tracker.sweep(NOWHERE_ELSE).isEmpty(), "half-closed: the node may still be sending");
        tracker.onPacket(CLIENT_KEY, false, TcpFlags.ACK | TcpFlags.FIN);
        assertEquals("closed", CloseState.describe(fig.tables.closeState(CLIENT_KEY)));
        advanceSeconds(4);
        assertTrue(tracker.sweep(NOWHERE_ELSE).isEmpty(), "lingers for retransmitted FINs and the last ACK");
        advanceSeconds(1);
        List<ExpiredSplice> gone = tracker.sweep(NOWHERE_ELSE);
        assertEquals(1, gone.size());
        assertEquals(ExpiredSplice.Cause.CLOSED, gone.get(0).cause);
        assertEquals(C3, gone.get(0).newestEntry.rewrittenTuple(), "names the serving node's connection");
        assertNull(fig.tables.level2Table(CLIENT_KEY));
        assertEquals(0, fig.tables.level1Size());
    }

    @Test
    void resetEndsTheSpliceAfterTheLinger() {
        tracker.onPacket(CLIENT_KEY, false, TcpFlags.RST);
        advanceSeconds(5);
        assertEquals(ExpiredSplice.Cause.CLOSED, tracker.sweep(NOWHERE_ELSE).get(0).cause);
    }

    @Test
    void idleSpliceExpiresAfterTcpWait() {
        assertTrue(tracker.sweep(NOWHERE_ELSE).isEmpty(), "a new splice's idle time starts at the first sweep");
        advanceSeconds(59);
        tracker.onPacket(CLIENT_KEY, true, TcpFlags.ACK);
        advanceSeconds(59);
        assertTrue(tracker.sweep(NOWHERE_ELSE).isEmpty(), "traffic resets the idle time");
        advanceSeconds(1);
        List<ExpiredSplice> gone = tracker.sweep(NOWHERE_ELSE);
        assertEquals(ExpiredSplice.Cause.IDLE, gone.get(0).cause);
        assertNotNull(gone.get(0).newestEntry);
    }

    /** A fast path translated the splice's packets without the tracker seeing them: not idle. */
    @Test
    void aSpliceActiveElsewhereIsKeptAndItsIdleTimeStartsAgain() {
        tracker.sweep(NOWHERE_ELSE);
        advanceSeconds(60);
        List<org.tcpsplice.core.net.FourTuple> asked = new java.util.ArrayList<>();
        assertTrue(tracker.sweep(k -> asked.add(k)).isEmpty(), "active on the fast path");
        assertEquals(List.of(CLIENT_KEY), asked, "asked about the splice that looked idle, by its client key");
        advanceSeconds(59);
        asked.clear();
        assertTrue(tracker.sweep(k -> asked.add(k)).isEmpty());
        assertTrue(asked.isEmpty(), "not asked again before the idle time has run out once more");
        advanceSeconds(1);
        assertEquals(ExpiredSplice.Cause.IDLE, tracker.sweep(NOWHERE_ELSE).get(0).cause);
    }

    @Test
    void closedSplicesAreNotAskedAbout() {
        tracker.onPacket(CLIENT_KEY, false, TcpFlags.RST);
        advanceSeconds(5);
        assertEquals(ExpiredSplice.Cause.CLOSED, tracker.sweep(k -> {
            throw new AssertionError("a closed splice ends whatever the fast path saw");
        }).get(0).cause);
    }

    @Test
    void closeStateIsKeptOnlyOnTheClientKey() {
        tracker.onPacket(CLIENT_KEY, true, TcpFlags.FIN | TcpFlags.ACK);
        assertEquals(0, fig.tables.closeState(C3.reversed()));
    }

    @Test
    void policyRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new TeardownPolicy(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TeardownPolicy(10, 20));
    }
}
