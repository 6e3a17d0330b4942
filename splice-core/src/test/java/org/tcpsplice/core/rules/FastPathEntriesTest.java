package org.tcpsplice.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.testing.Figure2;

/** What the fast path holds along the Figure 2 chain: the newest ranges only, never a sealed sender's. */
class FastPathEntriesTest {
    @Test
    void afterTheFirstHandoffTheClientAndBTranslate() {
        Figure2 fig = new Figure2();
        fig.handOffAToB();
        Map<FourTuple, Level2Entry> entries = FastPathEntries.of(fig.tables, CLIENT_KEY);
        assertEquals(List.of(CLIENT_KEY, C2.reversed()), List.copyOf(entries.keySet()));
        assertEquals(4000, entries.get(CLIENT_KEY).handoffSeq, "entry 212: the client's seq from 4000");
        assertEquals(-2000, entries.get(CLIENT_KEY).seqDelta);
        assertEquals(C2, entries.get(CLIENT_KEY).rewrittenTuple());
        assertEquals(CLIENT_KEY.reversed(), entries.get(C2.reversed()).rewrittenTuple(), "entry 214: B's replies");
    }

    @Test
    void afterTheSecondHandoffBIsSealedAndTheClientGoesToC() {
        Figure2 fig = Figure2.afterBothHandoffs();
        Map<FourTuple, Level2Entry> entries = FastPathEntries.of(fig.tables, CLIENT_KEY);
        assertEquals(List.of(CLIENT_KEY, C3.reversed()), List.copyOf(entries.keySet()),
                "B's replies (sealed) are the controller's; the client's newest range and C's replies are fast");
        assertEquals(9000, entries.get(CLIENT_KEY).handoffSeq, "the newest range starts at the second handoff");
        assertEquals(C3, entries.get(CLIENT_KEY).rewrittenTuple());
        assertTrue(fig.tables.level2Table(C2.reversed()).sealed());
    }

    @Test
    void noSpliceNoEntries() {
        assertTrue(FastPathEntries.of(new Figure2().tables, CLIENT_KEY).isEmpty());
    }
}
