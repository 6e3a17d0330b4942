package org.tcpsplice.controller.fastpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.tcpsplice.core.testing.Figure2.*;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.testing.Figure2;

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

    @Test
    void theMapFollowsTheSpliceThroughHandoffsRestartAndEnd() throws Exception {
        try (BpfMap map = BpfMap.createHash(FastPathEncoding.KEY_SIZE, FastPathEncoding.VALUE_SIZE, 64)) {
            XdpFastPath fast = new XdpFastPath(map, "test map");
            Figure2 fig = new Figure2();

            fig.handOffAToB();
            fast.sync(fig.tables, CLIENT_KEY);
            assertEquals(keysOf(CLIENT_KEY, C2.reversed()), keysIn(map), "the client's and B's newest ranges");
            assertArrayEquals(FastPathEncoding.value(fig.tables.level2Table(CLIENT_KEY)),
                    map.lookup(FastPathEncoding.key(CLIENT_KEY)));

            fig.handOffBToC();
            fast.sync(fig.tables, CLIENT_KEY);
            assertEquals(keysOf(CLIENT_KEY, C3.reversed()), keysIn(map), "B sealed: its replies are the controller's");
            assertArrayEquals(FastPathEncoding.value(fig.tables.level2Table(CLIENT_KEY)),
                    map.lookup(FastPathEncoding.key(CLIENT_KEY)), "the client's packets now go to C");
            assertEquals(2, fast.entries());

            // A restarted controller finds a stale element from before and its splice in the journal.
            map.update(FastPathEncoding.key(C2), new byte[FastPathEncoding.VALUE_SIZE]);
            XdpFastPath restarted = new XdpFastPath(map, "test map");
            restarted.resync(fig.tables);
            assertEquals(keysOf(CLIENT_KEY, C3.reversed()), keysIn(map), "stale elements gone, the splice's back");

            fig.tables.removeSplice(CLIENT_KEY);
            restarted.sync(fig.tables, CLIENT_KEY);
            assertEquals(Set.of(), keysIn(map), "an ended splice leaves nothing");
            assertNull(map.lookup(FastPathEncoding.key(CLIENT_KEY)));
            assertEquals(0, restarted.entries());
        }
    }
}
