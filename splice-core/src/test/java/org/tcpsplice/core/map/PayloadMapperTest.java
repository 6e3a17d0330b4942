package org.tcpsplice.core.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpsplice.core.testing.Figure2.*;

import org.junit.jupiter.api.Test;
import org.tcpsplice.core.map.MappingDecision.Reason;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.testing.Figure2;

/**
 * Fig. 5 at the edges the patent leaves open: packets from ends that let go (docs/architecture.md, "Old ends";
 * patent Fig. 3 where the switch swallows A's FINs), port reuse, and packets without ACK.
 */
class PayloadMapperTest {
    private final Figure2 fig = Figure2.afterBothHandoffs();
    private final PayloadMapper mapper = new PayloadMapper(fig.tables);
    private static final int ACK = TcpFlags.ACK;

    @Test
    void unsplicedTrafficIsNotTouched() {
        assertEquals(Reason.NO_LEVEL1_MATCH,
                mapper.map(CLIENT, 40999, SERVICE, HTTP, 1, 1, ACK, 0).reason);
    }

    @Test
    void firstNodesLetGoEndOfC1() {
        // A sent the client bytes up to 5000 and received up to 4000 before it handed off.
        assertEquals(Reason.RETIRED_END_OLD_RANGE, mapper.map(SERVICE, HTTP, CLIENT, CLIENT_PORT, 4900, 4000, ACK, 100).reason,
                "a retransmission of A's last bytes still reaches the client");
        assertEquals(Reason.RETIRED_END_OLD_RANGE, mapper.map(SERVICE, HTTP, CLIENT, CLIENT_PORT, 5000, 4000, ACK, 0).reason,
                "a pure ACK at A's last position is harmless");
        assertEquals(Reason.STRAY_FROM_RETIRED_END,
                mapper.map(SERVICE, HTTP, CLIENT, CLIENT_PORT, 5000, 4000, ACK | TcpFlags.FIN, 0).reason,
                "A's FIN (Fig. 3, packet 360) must not reach the client");
        assertEquals(Reason.STRAY_FROM_RETIRED_END,
                mapper.map(SERVICE, HTTP, CLIENT, CLIENT_PORT, 5000, 0, TcpFlags.RST, 0).reason,
                "nor an RST from A's kernel for its closed socket");
        assertEquals(Reason.STRAY_FROM_RETIRED_END,
                mapper.map(SERVICE, HTTP, CLIENT, CLIENT_PORT, 4950, 4000, ACK, 100).reason, "bytes past 5000");
        assertEquals(Reason.STRAY_FROM_RETIRED_END,
                mapper.map(SERVICE, HTTP, CLIENT, CLIENT_PORT, 5000, 4500, ACK, 0).reason,
                "A cannot ack client bytes that went to B");
    }

    @Test
    void handingNodesLetGoEndOfTheNewConnection() {
        // A's own end of c2 (A -> B), raw: it sent B the request bytes up to 2000.
        assertEquals(Reason.RETIRED_END_OLD_RANGE,
                mapper.map(NODE_A, A_TO_B_PORT, NODE_B, HTTP, 1900, 7000, ACK, 100).reason);
        assertEquals(Reason.STRAY_FROM_RETIRED_END,
                mapper.map(NODE_A, A_TO_B_PORT, NODE_B, HTTP, 2000, 7000, ACK | TcpFlags.FIN, 0).reason,
                "A's FIN on c2 (Fig. 3, packet 356) must not reach B");
        // B's own end of c3 (B -> C).
        assertEquals(Reason.STRAY_FROM_RETIRED_END,
                mapper.map(NODE_B, B_TO_C_PORT, NODE_C, HTTP, 11000, 11000, TcpFlags.RST, 0).reason);
    }

    @Test
    void nodeThatHandedOnIsSealed() {
        // B handed on at its c2 snd_nxt 12000 / rcv_nxt 7000.
        assertEquals(Reason.IN_RANGE, mapper.map(NODE_B, HTTP, NODE_A, A_TO_B_PORT, 11900, 7000, ACK, 100).reason,
                "B's retransmission of its last bytes still maps to the client");
        assertEquals(Reason.STRAY_PAST_HANDOFF, mapper.map(NODE_B, HTTP, NODE_A, A_TO_B_PORT, 12000, 7000, ACK, 1).reason);
        assertEquals(Reason.STRAY_PAST_HANDOFF, mapper.map(NODE_B, HTTP, NODE_A, A_TO_B_PORT, 11000, 7000, ACK, 0).reason,
                "B's pure (duplicate) ACKs are superseded by C's");
        assertEquals(Reason.STRAY_PAST_HANDOFF,
                mapper.map(NODE_B, HTTP, NODE_A, A_TO_B_PORT, 12000, 7000, ACK | TcpFlags.FIN, 0).reason);
        assertEquals(Reason.STRAY_PAST_HANDOFF, mapper.map(NODE_B, HTTP, NODE_A, A_TO_B_PORT, 12000, 7001, ACK, 0).reason,
                "B cannot ack client bytes that went to C");
        // The newest node is not sealed: its FIN is the real close and maps to the client.
        assertEquals(Reason.IN_RANGE,
                mapper.map(NODE_C, HTTP, NODE_B, B_TO_C_PORT, 11000, 11000, ACK | TcpFlags.FIN, 0).reason);
    }

    @Test
    void synOnASplicedTupleIsDropped() {
        // A reusing its c2 port for a new connection to B would collide with the live splice.
        assertEquals(Reason.STRAY_FROM_RETIRED_END,
                mapper.map(NODE_A, A_TO_B_PORT, NODE_B, HTTP, 777, 0, TcpFlags.SYN, 1).reason);
        assertEquals(Reason.SYN_ON_SPLICED_TUPLE,
                mapper.map(CLIENT, CLIENT_PORT, SERVICE, HTTP, 777, 0, TcpFlags.SYN, 1).reason);
    }

    @Test
    void rstWithoutAckIsMappedBySeqAlone() {
        // The ack field of a segment without ACK means nothing: 0 here, which would otherwise look "old".
        MappingDecision d = mapper.map(CLIENT, CLIENT_PORT, SERVICE, HTTP, 9500, 0, TcpFlags.RST, 0);
        assertEquals(Reason.IN_RANGE, d.reason);
        assertEquals(C3, d.entry.rewrittenTuple());
    }
}
