package org.tcpsplice.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.PuntTag;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.FrameBuilder;

/**
 * What the fast path holds along the Figure 2 chain: every tuple of the splice, translating by the
 * newest ranges only, never by a sealed sender's; and what it does with a frame.
 */
class FastPathEntriesTest {
    private static Set<FourTuple> keysWhere(Map<FourTuple, FastPathEntries.Held> entries,
                                            Predicate<FastPathEntries.Held> test) {
        Set<FourTuple> keys = new LinkedHashSet<>();
        entries.forEach((key, held) -> {
            if (test.test(held)) {
                keys.add(key);
            }
        });
        return keys;
    }

    private static Set<FourTuple> translating(Map<FourTuple, FastPathEntries.Held> entries) {
        return keysWhere(entries, held -> held.translateBy != null);
    }

    private static Set<FourTuple> retired(Map<FourTuple, FastPathEntries.Held> entries) {
        return keysWhere(entries, held -> held.retiredEnd);
    }

    @Test
    void afterTheFirstHandoffTheClientAndBTranslateAndTheLetGoEndsAreHeld() {
        Figure2 fig = new Figure2();
        fig.handOffAToB();
        Map<FourTuple, FastPathEntries.Held> entries = FastPathEntries.of(fig.tables, CLIENT_KEY);
        assertEquals(List.of(CLIENT_KEY, CLIENT_KEY.reversed(), C2, C2.reversed()), List.copyOf(entries.keySet()),
                "the same tuples the slow path punts with rules");
        assertEquals(Set.of(CLIENT_KEY, C2.reversed()), translating(entries));
        assertEquals(Set.of(CLIENT_KEY.reversed(), C2), retired(entries), "A's let-go ends");
        assertEquals(4000, entries.get(CLIENT_KEY).translateBy.handoffSeq, "entry 212: the client's seq from 4000");
        assertEquals(-2000, entries.get(CLIENT_KEY).translateBy.seqDelta);
        assertEquals(C2, entries.get(CLIENT_KEY).translateBy.rewrittenTuple());
        assertEquals(CLIENT_KEY.reversed(), entries.get(C2.reversed()).translateBy.rewrittenTuple(), "entry 214: B's replies");
        assertEquals(5000, entries.get(CLIENT_KEY.reversed()).lastSeq, "A's c1 had sent up to 5000 (entry 212's ack)");
        assertEquals(4000, entries.get(CLIENT_KEY.reversed()).lastAck, "and received up to 4000");
        assertEquals(2000, entries.get(C2).lastSeq, "A's request on c2 ends at 2000 (entry 214's ack)");
        assertEquals(7000, entries.get(C2).lastAck);
    }

    @Test
    void afterTheSecondHandoffBIsSealedAndTheClientGoesToC() {
        Figure2 fig = Figure2.afterBothHandoffs();
        Map<FourTuple, FastPathEntries.Held> entries = FastPathEntries.of(fig.tables, CLIENT_KEY);
        assertEquals(6, entries.size());
        assertEquals(Set.of(CLIENT_KEY, C3.reversed()), translating(entries),
                "B's replies (sealed) are the controller's; the client's newest range and C's replies are fast");
        assertTrue(entries.containsKey(C2.reversed()) && fig.tables.level2Table(C2.reversed()).sealed());
        assertEquals(9000, entries.get(CLIENT_KEY).translateBy.handoffSeq, "the newest range starts at the second handoff");
        assertEquals(C3, entries.get(CLIENT_KEY).translateBy.rewrittenTuple());
        assertEquals(Set.of(CLIENT_KEY.reversed(), C2, C3), retired(entries), "A's two ends and B's end of c3");
        assertTrue(!entries.get(C2.reversed()).retiredEnd && entries.get(C2.reversed()).translateBy == null,
                "B's sealed replies: tagged only");
    }

    @Test
    void noSpliceNoEntries() {
        assertTrue(FastPathEntries.of(new Figure2().tables, CLIENT_KEY).isEmpty());
    }

    @Test
    void framesOfHeldTuplesAreTranslatedTaggedOrPassedOnAndAllOthersPass() {
        Map<FourTuple, FastPathEntries.Held> held = FastPathEntries.of(Figure2.afterBothHandoffs().tables, CLIENT_KEY);
        byte[] client = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).seq(9500).ack(10500).build();
        assertEquals(FastPathEntries.Action.TRANSLATE, FastPathEntries.action(held, client, true, false));
        assertEquals(FastPathEntries.Action.TAG, FastPathEntries.action(held, client, false, false));
        byte[] letGo = FrameBuilder.tcp(SERVICE, HTTP, CLIENT, CLIENT_PORT).seq(4900).ack(4000).build();
        assertEquals(FastPathEntries.Action.PASS, FastPathEntries.action(held, letGo, false, true),
                "a let-go end's retransmission: on to the switch's rules, as the controller would send it");
        assertEquals(FastPathEntries.Action.TAG, FastPathEntries.action(held, letGo, true, false),
                "past what it may send, or a SYN, FIN or RST: the controller's");
        byte[] sealed = FrameBuilder.tcp(NODE_B, HTTP, NODE_A, A_TO_B_PORT).seq(7100).ack(2000).build();
        assertEquals(FastPathEntries.Action.TAG, FastPathEntries.action(held, sealed, false, true),
                "a sealed sender is no retired end");
        byte[] other = FrameBuilder.tcp(CLIENT, CLIENT_PORT + 1, SERVICE, HTTP).seq(1).ack(1).build();
        assertEquals(FastPathEntries.Action.PASS, FastPathEntries.action(held, other, false, false));
        assertEquals(FastPathEntries.Action.DROP, FastPathEntries.action(held, PuntTag.inserted(other), false, false));
    }
}
