package org.tcpsplice.core.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.HTTP;
import static org.tcpsplice.core.testing.Figure2.NODE_A;
import static org.tcpsplice.core.testing.Figure2.NODE_B;

import org.junit.jupiter.api.Test;
import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.testing.FrameBuilder;

/** When a node's connection gets a flow of its own on the slow path: payload, outside splices, once. */
class NodeConnectionFlowsTest {
    private static final MappingDecision.Reason OUTSIDE = MappingDecision.Reason.NO_LEVEL1_MATCH;
    private final NodeConnectionFlows flows = new NodeConnectionFlows();

    private static TcpFrame fromB(int payload) {
        byte[] bytes = FrameBuilder.tcp(NODE_B, HTTP, NODE_A, 50200).flags(TcpFlags.ACK).seq(7001).ack(2100)
                .payload(new byte[payload]).build();
        TcpFrame f = new TcpFrame();
        f.parse(bytes, 0, bytes.length);
        return f;
    }

    @Test
    void aNodesDirectionAsksOnceItCarriesPayloadThenOnlyAfterItsFlowIsRemoved() {
        assertFalse(flows.asksForFlow(fromB(0), OUTSIDE, true), "the handshake and pure acks: no flow yet");
        assertTrue(flows.asksForFlow(fromB(100), OUTSIDE, true));
        assertFalse(flows.asksForFlow(fromB(100), OUTSIDE, true), "asked already, the switch has not applied it yet");
        flows.flowRemoved(new FourTuple(NODE_B, HTTP, NODE_A, 50200));
        assertTrue(flows.asksForFlow(fromB(100), OUTSIDE, true), "its flow idled out");
        flows.forgetAll();
        assertTrue(flows.asksForFlow(fromB(100), OUTSIDE, true), "the switch reconnected");
    }

    @Test
    void nothingAsksFromOutsideTheNodesOrInsideASplice() {
        assertFalse(flows.asksForFlow(fromB(100), OUTSIDE, false), "not from a node");
        for (MappingDecision.Reason r : MappingDecision.Reason.values()) {
            if (r != OUTSIDE) {
                assertFalse(flows.asksForFlow(fromB(100), r, true), r + ": a splice's packet");
            }
        }
    }
}
