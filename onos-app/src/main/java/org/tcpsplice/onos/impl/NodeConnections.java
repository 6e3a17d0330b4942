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
import org.onosproject.net.flow.FlowRuleEvent;
import org.onosproject.net.flow.FlowRuleListener;
import org.onosproject.net.flow.TrafficTreatment;
import org.onosproject.net.flow.criteria.Criterion;
import org.onosproject.net.flow.criteria.IPCriterion;
import org.onosproject.net.flow.criteria.TcpPortCriterion;
import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.rules.NodeConnectionFlows;
import org.tcpsplice.onos.api.SpliceConfig;

/**
 * TCP from the nodes' own addresses on the slow path, as ONOS FlowRules: splice-core's
 * {@link NodeConnectionFlows} (why, and when a connection gets its own flow) with the standing rules,
 * the NORMAL treatment and the flow-removed listener ONOS needs.
 */
final class NodeConnections {
    private static final TrafficTreatment NORMAL = DefaultTrafficTreatment.builder().setOutput(PortNumber.NORMAL).build();

    private final NodeConnectionFlows flows = new NodeConnectionFlows();

    /** Removing a flow of ours lets its connection ask again (it idled out, or the switch lost it). */
    final FlowRuleListener expiry;

    NodeConnections(ApplicationId app) {
        expiry = event -> {
            if (event.type() == FlowRuleEvent.Type.RULE_REMOVED && event.subject().appId() == app.id()) {
                FourTuple t = tupleOf(event.subject());
                if (t != null) {
                    flows.flowRemoved(t);
                }
            }
        };
    }

    /** The standing rules: each node's TCP to the controller. */
    static List<FlowRule> standingRules(Collection<SpliceConfig.Node> nodes, DeviceId device, ApplicationId app) {
        List<FlowRule> rules = new ArrayList<>();
        for (SpliceConfig.Node n : nodes) {
            rules.add(DefaultFlowRule.builder().forDevice(device).fromApp(app)
                    .withPriority(NodeConnectionFlows.NODE_SOURCE_PRIORITY)
                    .withSelector(DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV4)
                            .matchIPProtocol(IPv4.PROTOCOL_TCP).matchIPSrc(Ip4Prefix.valueOf(n.ip, 32)).build())
                    .withTreatment(DefaultTrafficTreatment.builder().punt().build()).makePermanent().build());
        }
        return rules;
    }

    /** How a punted packet from a node goes on: the switch's own forwarding. */
    static TrafficTreatment forwarding() {
        return NORMAL;
    }

    /**
     * The flow this frame from a node asks for (its direction's own, see {@link NodeConnectionFlows}),
     * or null.
     */
    FlowRule flowFor(TcpFrame frame, MappingDecision.Reason reason, DeviceId device, ApplicationId app) {
        if (!flows.asksForFlow(frame, reason, true)) {
            return null;
        }
        return FlowRules.connection(new FourTuple(frame.srcIp(), frame.srcPort(), frame.dstIp(), frame.dstPort()),
                NORMAL, device, app);
    }

    /** The exact 4-tuple a connection flow matches, or null for any other rule. */
    private static FourTuple tupleOf(FlowRule rule) {
        if (rule.priority() != SpliceManager.CONNECTION_PRIORITY) {
            return null;
        }
        IPCriterion src = (IPCriterion) rule.selector().getCriterion(Criterion.Type.IPV4_SRC);
        IPCriterion dst = (IPCriterion) rule.selector().getCriterion(Criterion.Type.IPV4_DST);
        TcpPortCriterion sport = (TcpPortCriterion) rule.selector().getCriterion(Criterion.Type.TCP_SRC);
        TcpPortCriterion dport = (TcpPortCriterion) rule.selector().getCriterion(Criterion.Type.TCP_DST);
        if (src == null || dst == null || sport == null || dport == null) {
            return null;
        }
        return new FourTuple(src.ip().address().getIp4Address().toInt(), sport.tcpPort().toInt(),
                dst.ip().address().getIp4Address().toInt(), dport.tcpPort().toInt());
    }
}
