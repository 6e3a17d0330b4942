package org.tcpsplice.core.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import org.junit.jupiter.api.Test;
import org.tcpsplice.core.map.MappingDecision.Reason;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.testing.Figure2;

/**
 * The patent's Figure 2, exactly: two handoffs (A to B at 4000/5000 with c2 at 2000/7000, B to C at
 * 9000/10000 with c3 at 11000/11000), then the mapping of packets in each range.
 *
 * <p>Where the patent text contradicts itself, correct TCP decides, as noted at each assertion:
 * entry 234's deltas are -2000/+2000 (the "2000 and -1000" of a later paragraph is a slip), and the
 * reverse entries 254/274 are written in their own direction (seq = the node's seq), whereas the
 * patent lists them in the forward connection's order.
 */
class Figure2Test {
    private final Figure2 fig = Figure2.afterBothHandoffs();
    private final PayloadMapper mapper = new PayloadMapper(fig.tables);

    @Test
    void level1MapHoldsEntries212_214_216() {
        // 212: client -> A (the client's c1); 214: B -> A on c2; 216: C -> B on c3. Nothing else.
        assertNotNull(fig.tables.level2Table(CLIENT_KEY));
        assertNotNull(fig.tables.level2Table(C2.reversed()));
        assertNotNull(fig.tables.level2Table(C3.reversed()));
        assertEquals(3, fig.tables.level1Size());
        assertEquals(1, fig.tables.spliceCount());
    }

    @Test
    void table220HoldsEntries236Then234() {
        Level2Entry e236 = fig.tables.level2Table(CLIENT_KEY);
        Level2Entry e234 = e236.older;
        assertNull(e234.older, "the original node A has no entry: its packets go unchanged (Fig. 5)");

        // Entry 234: handoff to B at client seq 4000 / ack 5000; c2 starts at 2000/7000,
        // so the deltas are 2000-4000 = -2000 and 7000-5000 = +2000 (the patent's first paragraph).
        assertEquals(4000, e234.handoffSeq);
        assertEquals(5000, e234.handoffAck);
        assertEquals(-2000, e234.seqDelta);
        assertEquals(2000, e234.ackDelta);
        assertEquals(C2, e234.rewrittenTuple(), "new destination B:80 (250/252), new source A's c2 port");
        assertEquals(B_SWITCH_PORT, e234.outPort);
        assertEquals(B_MAC, e234.newDstMac());

        // Entry 236: handoff to C at client seq 9000 / ack 10000; c3 at 11000/11000: deltas +2000 / +1000.
        assertEquals(9000, e236.handoffSeq);
        assertEquals(10000, e236.handoffAck);
        assertEquals(2000, e236.seqDelta);
        assertEquals(1000, e236.ackDelta);
        assertEquals(C3, e236.rewrittenTuple());
        assertEquals(C_SWITCH_PORT, e236.outPort);
    }

    @Test
    void table240HoldsEntry254SealedWhenBHandedOn() {
        Level2Entry e254 = fig.tables.level2Table(C2.reversed());
        // The patent lists 254 as "seq 2000, ack 7000, deltas +2000/-2000" in c2's forward order.
        // In B's own direction: B's seq starts at 7000 (maps to the client's ack 5000: delta -2000),
        // B's ack at 2000 (maps to the client's seq 4000: delta +2000). Same numbers, TCP's orientation.
        assertEquals(7000, e254.handoffSeq);
        assertEquals(2000, e254.handoffAck);
        assertEquals(-2000, e254.seqDelta);
        assertEquals(2000, e254.ackDelta);
        assertEquals(CLIENT_KEY.reversed(), e254.rewrittenTuple(), "back to the client, from the service");
        assertEquals(CLIENT_SWITCH_PORT, e254.outPort);
        assertEquals(CLIENT_MAC, e254.newDstMac());
        assertTrue(e254.towardClient);
        // The patent's consistency check: 254's handoff point plus its deltas is 234's, and vice versa.
        Level2Entry e234 = fig.tables.level2Table(CLIENT_KEY).older;
        assertEquals(e234.handoffAck, e254.handoffSeq + e254.seqDelta);
        assertEquals(e234.handoffSeq, e254.handoffAck + e254.ackDelta);
        assertEquals(e254.handoffSeq, e234.handoffAck + e234.ackDelta);
        assertEquals(e254.handoffAck, e234.handoffSeq + e234.seqDelta);
        // B handed on at its c2 snd_nxt 12000 / rcv_nxt 7000: B's bytes past 12000 are strays.
        assertTrue(e254.sealed());
        assertEquals(12000, e254.sealSeq());
        assertEquals(7000, e254.sealAck());
    }

    @Test
    void table260HoldsEntry274() {
        Level2Entry e274 = fig.tables.level2Table(C3.reversed());
        // Patent: "11000 ... deltas -2000 and -1000" (forward order). C's seq 11000 maps to the
        // client's ack 10000 (delta -1000); C's ack 11000 maps to the client's seq 9000 (delta -2000).
        assertEquals(11000, e274.handoffSeq);
        assertEquals(11000, e274.handoffAck);
        assertEquals(-1000, e274.seqDelta);
        assertEquals(-2000, e274.ackDelta);
        assertEquals(9000, e274.handoffAck + e274.ackDelta, "same as entry 236's handoff seq");
        assertEquals(10000, e274.handoffSeq + e274.seqDelta, "same as entry 236's handoff ack");
        assertFalse(e274.sealed());
    }

    private MappingDecision client(int seq, int ack) {
        return mapper.map(CLIENT, CLIENT_PORT, SERVICE, HTTP, seq, ack, TcpFlags.ACK, 100);
    }

    @Test
    void clientPacketsAbove9000_10000GoToC() {
        MappingDecision d = client(9500, 10500);
        assertEquals(Reason.IN_RANGE, d.reason);
        assertEquals(C3, d.entry.rewrittenTuple());
        assertEquals(11500, 9500 + d.entry.seqDelta);
        assertEquals(11500, 10500 + d.entry.ackDelta);
        assertEquals(Reason.IN_RANGE, client(9000, 10000).reason, "the handoff point itself belongs to C");
    }

    @Test
    void clientPacketsBetweenTheHandoffsGoToB() {
        // "resends or acknowledgement to packets originally sent from node B"
        MappingDecision d = client(5000, 6000);
        assertEquals(C2, d.entry.rewrittenTuple());
        assertEquals(3000, 5000 + d.entry.seqDelta);
        assertEquals(8000, 6000 + d.entry.ackDelta);
        // A new request byte past 9000 that still acks only B's bytes (ack < 10000) is B's range too.
        assertEquals(C2, client(9100, 9999).entry.rewrittenTuple());
    }

    @Test
    void clientPacketsBelow4000_5000GoUnchangedToA() {
        assertEquals(Reason.BEFORE_FIRST_HANDOFF, client(3000, 4000).reason);
        assertEquals(Reason.BEFORE_FIRST_HANDOFF, client(4500, 4999).reason, "acks of A's own bytes go to A");
    }

    @Test
    void repliesFromCMapBackIntoTheClientsNumbers() {
        MappingDecision d = mapper.map(NODE_C, HTTP, NODE_B, B_TO_C_PORT, 11200, 11300, TcpFlags.ACK, 100);
        assertEquals(Reason.IN_RANGE, d.reason);
        assertEquals(CLIENT_KEY.reversed(), d.entry.rewrittenTuple());
        assertEquals(10200, 11200 + d.entry.seqDelta);
        assertEquals(9300, 11300 + d.entry.ackDelta);
    }

    @Test
    void olderRepliesFromBStillMapToTheClient() {
        MappingDecision d = mapper.map(NODE_B, HTTP, NODE_A, A_TO_B_PORT, 8000, 3000, TcpFlags.ACK, 100);
        assertEquals(Reason.IN_RANGE, d.reason);
        assertEquals(6000, 8000 + d.entry.seqDelta);
        assertEquals(5000, 3000 + d.entry.ackDelta);
    }

    @Test
    void repliesFromANeedNoMapping() {
        // "No match is found in Level 1 mapping table 200, so the packet is sent to the client" -- for
        // A's bytes before its handoff point (retransmissions); beyond it A has let go (see PayloadMapperTest).
        MappingDecision d = mapper.map(SERVICE, HTTP, CLIENT, CLIENT_PORT, 4800, 4000, TcpFlags.ACK, 100);
        assertEquals(Reason.RETIRED_END_OLD_RANGE, d.reason);
        assertSame(MappingDecision.Kind.FORWARD_UNCHANGED, d.kind());
    }

    @Test
    void timestampDeltasMoveEachClockOntoTheOneItsReceiverKnows() {
        Level2Entry e234 = fig.tables.level2Table(CLIENT_KEY).older;
        Level2Entry e254 = fig.tables.level2Table(C2.reversed());
        // B saw A's c2 clock (700000); the client's TSvals (1000000 at the handoff) must land there.
        assertEquals(A_C2_TS - CLIENT_TS, e234.tsvalDelta);
        // The client saw A's c1 clock (500000); B's TSvals (900000 as A last saw them) must land there.
        assertEquals(A_C1_TS - B_C2_TS_SEEN_BY_A, e254.tsvalDelta);
        assertEquals(-e234.tsvalDelta, e254.tsecrDelta);
        assertEquals(-e254.tsvalDelta, e234.tsecrDelta);

        // Second hop: B's c2 numbers are mapped back to the client's through 254 first.
        Level2Entry e236 = fig.tables.level2Table(CLIENT_KEY);
        Level2Entry e274 = fig.tables.level2Table(C3.reversed());
        assertEquals(B_C3_TS - CLIENT_TS_AT_SECOND_HANDOFF, e236.tsvalDelta);
        assertEquals((B_C2_TS + e254.tsvalDelta) - C_C3_TS_SEEN_BY_B, e274.tsvalDelta);
    }

    @Test
    void spliceKeysAreListedClientFirst() {
        assertEquals(java.util.List.of(CLIENT_KEY, C2.reversed(), C3.reversed()), fig.tables.level1Keys(CLIENT_KEY));
        assertTrue(fig.tables.removeSplice(CLIENT_KEY));
        assertEquals(0, fig.tables.level1Size());
        for (FourTuple key : new FourTuple[] {CLIENT_KEY, C2.reversed(), C3.reversed()}) {
            assertNull(fig.tables.level2Table(key));
        }
    }
}
