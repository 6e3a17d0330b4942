package org.tcpsplice.controller.fastpath;

import org.tcpsplice.core.fastpath.FastPathEncoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.tcpsplice.core.testing.Figure2.*;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.FastPathEntries;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.Privileges;

/**
 * The controller's fast path on a real kernel hash map (root; the program is not attached, only its
 * map's layout is used): the map follows the Figure 2 splice through both handoffs, a restart and its end.
 */
class XdpFastPathTest {
    private static Set<String> keysIn(BpfMap map) {
        Set<String> keys = new TreeSet<>();
        map.keys().forEach(k -> keys.add(java.util.HexFormat.of().formatHex(k)));
        return keys;
    }

    private static Set<String> keysOf(FourTuple... tuples) {
        Set<String> keys = new TreeSet<>();
        for (FourTuple t : tuples) {
            keys.add(java.util.HexFormat.of().formatHex(FastPathEncoding.key(t)));
        }
        return keys;
    }

    private BpfMap map;
    private XdpFastPath fast;
    private final Figure2 fig = new Figure2();
    /** The program's clock as the controller reads it; each test sets it. */
    private long programSecond = 1_000;

    /** A fresh map holding the Figure 2 splice after its first handoff (A to B). */
    @BeforeEach
    void firstHandoff() throws Exception {
        Privileges.assumeBpf("XdpFastPathTest (a real kernel hash map)");
        map = BpfMap.createHash(FastPathEncoding.KEY_SIZE, FastPathEncoding.VALUE_SIZE, 64);
        fast = new XdpFastPath(map, "test map", () -> programSecond);
        fig.handOffAToB();
        fast.sync(fig.tables, CLIENT_KEY).get();
    }

    @AfterEach
    void closeMap() {
        if (map != null) {
            map.close();
        }
    }

    @Test
    void theMapFollowsTheSpliceThroughHandoffsRestartAndEnd() throws Exception {
        assertEquals(keysOf(CLIENT_KEY, CLIENT_KEY.reversed(), C2, C2.reversed()), keysIn(map),
                "every tuple of the splice");
        assertArrayEquals(FastPathEncoding.value(FastPathEntries.Held.translating(fig.tables.level2Table(CLIENT_KEY))),
                map.lookup(FastPathEncoding.key(CLIENT_KEY)), "the client's newest range");
        assertArrayEquals(FastPathEncoding.value(FastPathEntries.Held.retiredEnd(2000, 7000)),
                map.lookup(FastPathEncoding.key(C2)), "A's let-go end of c2: its request (up to 2000) passes on");

        fig.handOffBToC();
        fast.sync(fig.tables, CLIENT_KEY).get();
        Set<String> all = keysOf(CLIENT_KEY, CLIENT_KEY.reversed(), C2, C2.reversed(), C3, C3.reversed());
        assertEquals(all, keysIn(map));
        assertArrayEquals(FastPathEncoding.value(FastPathEntries.Held.TAG_ONLY), map.lookup(FastPathEncoding.key(C2.reversed())),
                "B sealed: its replies are the controller's");
        assertArrayEquals(FastPathEncoding.value(FastPathEntries.Held.translating(fig.tables.level2Table(CLIENT_KEY))),
                map.lookup(FastPathEncoding.key(CLIENT_KEY)), "the client's packets now go to C");
        assertEquals(6, fast.entries());

        // A restarted controller finds a stale element from before and its splice in the journal.
        FourTuple stale = new FourTuple(C2.srcIp, C2.srcPort + 1, C2.dstIp, C2.dstPort);
        map.update(FastPathEncoding.key(stale), new byte[FastPathEncoding.VALUE_SIZE]);
        XdpFastPath restarted = new XdpFastPath(map, "test map", () -> programSecond);
        restarted.resync(fig.tables);
        assertEquals(all, keysIn(map), "stale elements gone, the splice's back");

        fig.tables.removeSplice(CLIENT_KEY);
        restarted.sync(fig.tables, CLIENT_KEY).get();
        assertEquals(Set.of(), keysIn(map), "an ended splice leaves nothing");
        assertNull(map.lookup(FastPathEncoding.key(CLIENT_KEY)));
        assertEquals(0, restarted.entries());
    }

    /** What the program notes in a value when it translates by it: its clock's second, cut to 32 bits. */
    private void programTranslatedBy(FourTuple key, long monotonicSecond) throws Exception {
        byte[] value = map.lookup(FastPathEncoding.key(key));
        java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.nativeOrder()).putInt(52, (int) monotonicSecond);
        map.update(FastPathEncoding.key(key), value);
    }

    /**
     * A splice whose packets the program translates never looks active to the controller; the program
     * notes the second of its last translation in the value (last_seen, checked on the shared vectors),
     * and the controller reads it back before it ends a splice as idle. Checked at a clock of 1,000 s,
     * at 220 s (a machine just booted, where "400 s ago" is before the clock's start) and just past the
     * wrap of the program's 32-bit seconds.
     */
    @Test
    void aSpliceIsActiveWhileTheProgramTranslatesByItsEntries() throws Exception {
        for (long now : new long[] {1_000, 220, (1L << 32) + 3}) {
            programSecond = now;
            programTranslatedBy(CLIENT_KEY, 0);
            programTranslatedBy(C2.reversed(), 0);
            assertFalse(fast.translatedWithin(CLIENT_KEY, 300), "nothing translated yet, at " + now);

            programTranslatedBy(C2.reversed(), now - 400);
            assertFalse(fast.translatedWithin(CLIENT_KEY, 300), "B's replies, but longer ago than the timeout, at " + now);
            programTranslatedBy(CLIENT_KEY, now - 10);
            assertTrue(fast.translatedWithin(CLIENT_KEY, 300), "the client's packets, ten seconds ago, at " + now);
            assertFalse(fast.translatedWithin(CLIENT_KEY, 5), "not within five seconds, at " + now);
            programTranslatedBy(CLIENT_KEY, now + 1);
            assertTrue(fast.translatedWithin(CLIENT_KEY, 5), "the program's coarse clock a second ahead is now, at " + now);

            programTranslatedBy(C2, now);
            programTranslatedBy(CLIENT_KEY, 0);
            programTranslatedBy(C2.reversed(), 0);
            assertFalse(fast.translatedWithin(CLIENT_KEY, 300), "a retired end's value is not the program's to note, at " + now);
        }
    }
}
