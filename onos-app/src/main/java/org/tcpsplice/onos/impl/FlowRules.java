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
import org.onosproject.net.flow.criteria.Criterion;
import org.onosproject.net.flow.criteria.IPCriterion;
import org.onosproject.net.flow.criteria.TcpPortCriterion;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.flow.TrafficTreatment;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.SwitchRule;

/**
 * The app's per-connection FlowRules: splice-core's abstract switch rules (one each, nothing added or
 * dropped), and the idle-timed flows of connections outside splices; all match one TCP 4-tuple.
 */
public final class FlowRules {
    private FlowRules() {
    }

    public static FlowRule of(SwitchRule r, DeviceId device, ApplicationId appId) {
        return DefaultFlowRule.builder().forDevice(device).fromApp(appId).withPriority(r.priority)
                .withSelector(exactly(r.tuple))
                .withTreatment(DefaultTrafficTreatment.builder().setOutput(PortNumber.CONTROLLER).build())
                .makePermanent().build();
    }

    /** Steering flows of connections outside splices: below the splices' punt rules (40000), idle-timed. */
    static final int CONNECTION_PRIORITY = 1000;

    /** One direction of a connection outside any splice, below the splices' punt rules, idle-timed. */
    static FlowRule connection(FourTuple direction, TrafficTreatment treatment, int idleSeconds, DeviceId device,
                               ApplicationId appId) {
        return DefaultFlowRule.builder().forDevice(device).fromApp(appId).withPriority(CONNECTION_PRIORITY)
                .withSelector(exactly(direction)).withTreatment(treatment).makeTemporary(idleSeconds).build();
    }

    /**
     * {@link #connection}'s two rules, to remove them: ONOS identifies a rule by its device, selector,
     * priority and table, not its treatment.
     */
    static FlowRule[] connectionEnded(FourTuple clientToService, DeviceId device, ApplicationId appId) {
        return new FlowRule[] {
            connection(clientToService, DefaultTrafficTreatment.emptyTreatment(), 1, device, appId),
            connection(clientToService.reversed(), DefaultTrafficTreatment.emptyTreatment(), 1, device, appId)};
    }

    /** The exact 4-tuple a connection flow matches, or null for any other rule. */
    static FourTuple connectionOf(FlowRule rule) {
        if (rule.priority() != CONNECTION_PRIORITY) {
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

    private static TrafficSelector exactly(FourTuple t) {
        return DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV4).matchIPProtocol(IPv4.PROTOCOL_TCP)
                .matchIPSrc(Ip4Prefix.valueOf(t.srcIp, 32)).matchIPDst(Ip4Prefix.valueOf(t.dstIp, 32))
                .matchTcpSrc(TpPort.tpPort(t.srcPort)).matchTcpDst(TpPort.tpPort(t.dstPort)).build();
    }
}
