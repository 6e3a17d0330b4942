package org.tcpsplice.onos.impl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.onlab.packet.Ethernet;
import org.onlab.packet.IPv4;
import org.onlab.packet.Ip4Prefix;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.PortNumber;
import org.onosproject.net.flow.DefaultFlowRule;
import org.onosproject.net.flow.DefaultTrafficSelector;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.TrafficTreatment;
import org.tcpsplice.core.engine.Node;
import org.tcpsplice.core.rules.NodeConnectionFlows;

/**
 * TCP from the nodes' own addresses on the slow path, as ONOS FlowRules: the standing rules that send
 * it to the controller, and the NORMAL treatment it goes on with (splice-core's
 * {@link NodeConnectionFlows} says why, and when a connection gets a flow of its own).
 */
final class NodeConnections {
    private static final TrafficTreatment NORMAL = DefaultTrafficTreatment.builder().setOutput(PortNumber.NORMAL).build();

    private NodeConnections() {
    }

    /** The standing rules: each node's TCP to the controller. */
    static List<FlowRule> standingRules(Collection<Node> nodes, DeviceId device, ApplicationId app) {
        List<FlowRule> rules = new ArrayList<>();
        for (Node n : nodes) {
            rules.add(DefaultFlowRule.builder().forDevice(device).fromApp(app)
                    .withPriority(NodeConnectionFlows.NODE_SOURCE_PRIORITY)
                    .withSelector(DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV4)
                            .matchIPProtocol(IPv4.PROTOCOL_TCP).matchIPSrc(Ip4Prefix.valueOf(n.ip, 32)).build())
                    .withTreatment(DefaultTrafficTreatment.builder().punt().build()).makePermanent().build());
        }
        return rules;
    }

    /** How a punted packet from a node goes on, and a node connection's own flow: the switch's own forwarding. */
    static TrafficTreatment forwarding() {
        return NORMAL;
    }
}
