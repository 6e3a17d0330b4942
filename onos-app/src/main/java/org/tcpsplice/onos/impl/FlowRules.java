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
import org.tcpsplice.core.rules.SwitchRule;

/** splice-core's abstract switch rules as ONOS FlowRules: one each, nothing added or dropped. */
public final class FlowRules {
    private FlowRules() {
    }

    public static FlowRule of(SwitchRule r, DeviceId device, ApplicationId appId) {
        TrafficSelector.Builder match = DefaultTrafficSelector.builder();
        match.matchEthType(Ethernet.TYPE_IPV4).matchIPProtocol(IPv4.PROTOCOL_TCP)
                .matchIPSrc(Ip4Prefix.valueOf(r.tuple.srcIp, 32))
                .matchIPDst(Ip4Prefix.valueOf(r.tuple.dstIp, 32))
                .matchTcpSrc(TpPort.tpPort(r.tuple.srcPort))
                .matchTcpDst(TpPort.tpPort(r.tuple.dstPort));
        return DefaultFlowRule.builder().forDevice(device).fromApp(appId).withPriority(r.priority)
                .withSelector(match.build()).withTreatment(DefaultTrafficTreatment.builder().setOutput(PortNumber.CONTROLLER).build())
                .makePermanent().build();
    }
}
