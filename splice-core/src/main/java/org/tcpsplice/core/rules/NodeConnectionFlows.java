package org.tcpsplice.core.rules;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.TcpFrame;

/**
 * The slow path's guard against a switch's flow cache, shared by both controllers. OVS keeps using a
 * path it cached for a connection for a while after a higher-priority rule is added, so a handing-off
 * node's new connection (c2) must have no cached path of its own before its splice's punt rules
 * exist: otherwise the target's first response can pass them and reach the handing-off node.
 *
 * <p>So one standing rule per node ({@link #NODE_SOURCE_PRIORITY}) sends TCP from the node's own
 * address to the controller, which forwards it unchanged, and a direction of such a connection gets a
 * flow of its own only once it carries payload outside any splice (a relay). c2 carries none from the
 * target before its splice exists. This class decides when; each controller installs the flow its way.
 */
public final class NodeConnectionFlows {
    /** Each node's TCP to the controller: above plain forwarding (ONOS's fwd installs at 10), below the rest. */
    public static final int NODE_SOURCE_PRIORITY = 20;

    /** Directions that asked for their flow and still have it: asked once each, not once per packet. */
    private final Set<FourTuple> asked = ConcurrentHashMap.newKeySet();

    /**
     * Whether the controller should now give this frame's direction a flow of its own: a frame from a
     * node ({@code fromNode}), outside any splice, carrying payload, and the first such since that
     * direction's flow was last removed.
     */
    public boolean asksForFlow(TcpFrame frame, MappingDecision.Reason reason, boolean fromNode) {
        return fromNode && reason == MappingDecision.Reason.NO_LEVEL1_MATCH && frame.payloadLength() > 0
                && asked.add(new FourTuple(frame.srcIp(), frame.srcPort(), frame.dstIp(), frame.dstPort()));
    }

    /** The switch removed a direction's flow (it idled out): that direction's next payload asks again. */
    public void flowRemoved(FourTuple direction) {
        asked.remove(direction);
    }

    /** The switch's table was reset (it reconnected): every direction asks again. */
    public void forgetAll() {
        asked.clear();
    }
}
