package org.tcpsplice.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.PuntTag;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.FrameBuilder;

/**
 * What the fast path holds along the Figure 2 chain: every tuple of the splice, translating by the
 * newest ranges only, never by a sealed sender's; and what it does with a frame.
 */
class FastPathEntriesTest {
    private static Set<FourTuple> translating(Map<FourTuple, Level2Entry> entries) {
        Set<FourTuple> keys = new LinkedHashSet<>();
        entries.forEach((key, entry) -> {
            if (entry != null) {
                keys.add(key);
            }
        });
        return keys;
    }

    @Test
    void afterTheFirstHandoffTheClientAndBTranslateAndTheLetGoEndsAreHeld() {
        Figure2 fig = new Figure2();
        fig.handOffAToB();
        Map<FourTuple, Level2Entry> entries = FastPathEntries.of(fig.tables, CLIENT_KEY);
        assertEquals(List.of(CLIENT_KEY, CLIENT_KEY.reversed(), C2, C2.reversed()), List.copyOf(entries.keySet()),
                "the same tuples the slow path punts with rules");
        assertEquals(Set.of(CLIENT_KEY, C2.reversed()), translating(entries), "A's let-go ends are only tagged");
        assertEquals(4000, entries.get(CLIENT_KEY).handoffSeq, "entry 212: the client's seq from 4000");
        assertEquals(-2000, entries.get(CLIENT_KEY).seqDelta);
        assertEquals(C2, entries.get(CLIENT_KEY).rewrittenTuple());
        assertEquals(CLIENT_KEY.reversed(), entries.get(C2.reversed()).rewrittenTuple(), "entry 214: B's replies");
    }

    @Test
    void afterTheSecondHandoffBIsSealedAndTheClientGoesToC() {
        Figure2 fig = Figure2.afterBothHandoffs();
        Map<FourTuple, Level2Entry> entries = FastPathEntries.of(fig.tables, CLIENT_KEY);
        assertEquals(6, entries.size());
        assertEquals(Set.of(CLIENT_KEY, C3.reversed()), translating(entries),
                "B's replies (sealed) are the controller's; the client's newest range and C's replies are fast");
        assertTrue(entries.containsKey(C2.reversed()) && fig.tables.level2Table(C2.reversed()).sealed());
        assertEquals(9000, entries.get(CLIENT_KEY).handoffSeq, "the newest range starts at the second handoff");
        assertEquals(C3, entries.get(CLIENT_KEY).rewrittenTuple());
    }

    @Test
    void noSpliceNoEntries() {
        assertTrue(FastPathEntries.of(new Figure2().tables, CLIENT_KEY).isEmpty());
    }

    @Test
    void framesOfHeldTuplesAreTranslatedOrTaggedAndAllOthersPass() {
        Map<FourTuple, Level2Entry> held = FastPathEntries.of(Figure2.afterBothHandoffs().tables, CLIENT_KEY);
        byte[] client = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).seq(9500).ack(10500).build();
        assertEquals(FastPathEntries.Action.TRANSLATE, FastPathEntries.action(held, client, true));
        assertEquals(FastPathEntries.Action.TAG, FastPathEntries.action(held, client, false));
        byte[] letGo = FrameBuilder.tcp(SERVICE, HTTP, CLIENT, CLIENT_PORT).seq(4900).ack(4000).build();
        assertEquals(FastPathEntries.Action.TAG, FastPathEntries.action(held, letGo, true),
                "nothing to translate by: a let-go end's packets are always the controller's");
        byte[] other = FrameBuilder.tcp(CLIENT, CLIENT_PORT + 1, SERVICE, HTTP).seq(1).ack(1).build();
        assertEquals(FastPathEntries.Action.PASS, FastPathEntries.action(held, other, false));
        assertEquals(FastPathEntries.Action.DROP, FastPathEntries.action(held, PuntTag.inserted(other), false));
    }
}
