package org.tcpsplice.onos.impl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.onos.api.SpliceConfig;

/**
 * TCP from the nodes' own addresses, on the slow path, as the standalone controller's {@code Pipeline}
 * handles it. OVS keeps using a path it cached for a connection for a while after a higher-priority
 * rule is added; a handing-off node's new connection (c2) must therefore have no cached path before
 * its splice's punt rules exist, or the target's first response can reach the handing-off node past
 * them (measured on the standalone controller: about one handed-off request in a hundred under 50
 * clients). So one rule per node sends its TCP to the controller, which forwards it (NORMAL), and only
 * a connection that carries payload from a node outside any splice (a relay) gets a flow of its own.
 * c2 carries none from the target before its splice exists.
 */
final class NodeConnections {
    /** Above reactive forwarding's flows (ONOS's fwd installs at 10), below everything of ours. */
    static final int NODE_SOURCE_PRIORITY = 20;
    private static final TrafficTreatment NORMAL = DefaultTrafficTreatment.builder().setOutput(PortNumber.NORMAL).build();

    /** Directions that have asked for their flow, until the switch removes it (once each, not per packet). */
    private final Set<FourTuple> flowed = ConcurrentHashMap.newKeySet();

    /** Removing a flow of ours lets its connection ask again (it idled out, or the switch lost it). */
    final FlowRuleListener expiry;

    NodeConnections(ApplicationId app) {
        expiry = event -> {
            if (event.type() == FlowRuleEvent.Type.RULE_REMOVED && event.subject().appId() == app.id()) {
                FourTuple t = tupleOf(event.subject());
                if (t != null) {
                    flowed.remove(t);
                }
            }
        };
    }

    /** The standing rules: each node's TCP to the controller. */
    static List<FlowRule> standingRules(Collection<SpliceConfig.Node> nodes, DeviceId device, ApplicationId app) {
        List<FlowRule> rules = new ArrayList<>();
        for (SpliceConfig.Node n : nodes) {
            rules.add(DefaultFlowRule.builder().forDevice(device).fromApp(app).withPriority(NODE_SOURCE_PRIORITY)
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
     * The flow for one direction of a node's connection that carries payload outside any splice, the
     * first time it is asked for; null when it was asked for already and is still on the switch.
     */
    FlowRule flowFor(FourTuple direction, DeviceId device, ApplicationId app) {
        if (!flowed.add(direction)) {
            return null;
        }
        return FlowRules.connection(direction, NORMAL, device, app);
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
