package org.tcpsplice.onos.impl;

import org.onlab.packet.Ethernet;
import org.onlab.packet.IPv4;
import org.onlab.packet.Ip4Prefix;
import org.onlab.packet.TpPort;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.PortNumber;
import org.onosproject.net.flow.DefaultFlowRule;
import org.onosproject.net.flow.DefaultTrafficSelector;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.TrafficSelector;
import org.tcpsplice.core.rules.RuleAction;
import org.tcpsplice.core.rules.RuleMatch;
import org.tcpsplice.core.rules.SwitchRule;

/** splice-core's abstract switch rules as ONOS FlowRules: one each, nothing added or dropped. */
public final class FlowRules {
    private FlowRules() {
    }

    public static FlowRule of(SwitchRule r, DeviceId device, ApplicationId appId) {
        TrafficSelector.Builder match = DefaultTrafficSelector.builder();
        if (r.match.inPort != RuleMatch.ANY_PORT) {
            match.matchInPort(PortNumber.portNumber(r.match.inPort));
        }
        match.matchEthType(Ethernet.TYPE_IPV4).matchIPProtocol(IPv4.PROTOCOL_TCP)
                .matchIPSrc(Ip4Prefix.valueOf(r.match.tuple.srcIp, 32))
                .matchIPDst(Ip4Prefix.valueOf(r.match.tuple.dstIp, 32))
                .matchTcpSrc(TpPort.tpPort(r.match.tuple.srcPort))
                .matchTcpDst(TpPort.tpPort(r.match.tuple.dstPort));
        PortNumber out = r.action.type == RuleAction.Type.PUNT ? PortNumber.CONTROLLER : PortNumber.portNumber(r.action.port);
        return DefaultFlowRule.builder().forDevice(device).fromApp(appId).withPriority(r.priority)
                .withSelector(match.build()).withTreatment(DefaultTrafficTreatment.builder().setOutput(out).build())
                .makePermanent().build();
    }
}
