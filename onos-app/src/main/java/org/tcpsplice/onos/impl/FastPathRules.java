package org.tcpsplice.onos.impl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.onlab.packet.MacAddress;
import org.onlab.packet.VlanId;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.PortNumber;
import org.onosproject.net.flow.DefaultFlowRule;
import org.onosproject.net.flow.DefaultTrafficSelector;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.FlowRule;
import org.tcpsplice.core.engine.Node;
import org.tcpsplice.core.packet.PuntTag;

/**
 * The standing rules with the fast path, which replace every per-splice rule (the standalone
 * controller's Pipeline has the same two kinds):
 * <ul>
 *   <li>the punt tag to the controller: the XDP program tags each spliced packet it does not
 *       translate, and drops frames that arrive with the tag;</li>
 *   <li>each node's MAC out of its port: the packets the program translated toward a node, and what a
 *       retired end may still send, go by their addresses. Above reactive forwarding's flows, so that
 *       a spliced packet never waits for fwd's packet-in.</li>
 * </ul>
 */
final class FastPathRules {
    static final int PUNT_TAG_PRIORITY = 45000;
    /** Above fwd's flows (its default flowPriority is 10), below the connections' steering flows. */
    static final int NODE_MAC_PRIORITY = 15;

    private FastPathRules() {
    }

    static List<FlowRule> standingRules(Collection<Node> nodes, DeviceId device, ApplicationId app) {
        List<FlowRule> rules = new ArrayList<>();
        rules.add(DefaultFlowRule.builder().forDevice(device).fromApp(app).withPriority(PUNT_TAG_PRIORITY)
                .withSelector(DefaultTrafficSelector.builder().matchVlanId(VlanId.vlanId((short) PuntTag.VLAN)).build())
                .withTreatment(DefaultTrafficTreatment.builder().punt().build()).makePermanent().build());
        for (Node n : nodes) {
            rules.add(DefaultFlowRule.builder().forDevice(device).fromApp(app).withPriority(NODE_MAC_PRIORITY)
                    .withSelector(DefaultTrafficSelector.builder().matchEthDst(MacAddress.valueOf(n.mac)).build())
                    .withTreatment(DefaultTrafficTreatment.builder().setOutput(PortNumber.portNumber(n.switchPort)).build())
                    .makePermanent().build());
        }
        return rules;
    }
}
