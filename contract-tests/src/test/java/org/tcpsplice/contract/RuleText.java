package org.tcpsplice.contract;

import org.onosproject.net.PortNumber;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.criteria.Criterion;
import org.onosproject.net.flow.criteria.IPCriterion;
import org.onosproject.net.flow.criteria.IPProtocolCriterion;
import org.onosproject.net.flow.criteria.PortCriterion;
import org.onosproject.net.flow.criteria.TcpPortCriterion;
import org.onosproject.net.flow.instructions.Instructions;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One text form for a splice rule, whichever controller made it: priority, match fields and output.
 * The standalone controller's rules are OpenFlow flow-mods, the ONOS app's are FlowRules; each is
 * reduced to this form independently, so equal text means the switch gets the same rule.
 */
final class RuleText {
    private RuleText() {
    }

    /** The rule a flow-mod adds (or, for a delete, the priority and match it removes; out=none). */
    static String of(OFFlowMod f) {
        Match m = f.getMatch();
        OFPort in = m.get(MatchField.IN_PORT);
        String out = "none";
        if (!f.getInstructions().isEmpty()) {
            OFActionOutput o = (OFActionOutput) ((OFInstructionApplyActions) f.getInstructions().get(0)).getActions().get(0);
            out = o.getPort().equals(OFPort.CONTROLLER) ? "controller" : String.valueOf(o.getPort().getPortNumber());
        }
        return format(f.getPriority(), in == null ? "any" : String.valueOf(in.getPortNumber()),
                m.get(MatchField.IP_PROTO).getIpProtocolNumber(),
                m.get(MatchField.IPV4_SRC) + ":" + m.get(MatchField.TCP_SRC).getPort(),
                m.get(MatchField.IPV4_DST) + ":" + m.get(MatchField.TCP_DST).getPort(), out);
    }

    static String of(FlowRule r) {
        PortCriterion in = (PortCriterion) r.selector().getCriterion(Criterion.Type.IN_PORT);
        long port = ((Instructions.OutputInstruction) r.treatment().allInstructions().get(0)).port().toLong();
        return format(r.priority(), in == null ? "any" : String.valueOf(in.port().toLong()),
                ((IPProtocolCriterion) r.selector().getCriterion(Criterion.Type.IP_PROTO)).protocol(),
                address(r, Criterion.Type.IPV4_SRC, Criterion.Type.TCP_SRC),
                address(r, Criterion.Type.IPV4_DST, Criterion.Type.TCP_DST),
                port == PortNumber.CONTROLLER.toLong() ? "controller" : String.valueOf(port));
    }

    private static String address(FlowRule r, Criterion.Type ip, Criterion.Type tcp) {
        return ((IPCriterion) r.selector().getCriterion(ip)).ip().address() + ":"
                + ((TcpPortCriterion) r.selector().getCriterion(tcp)).tcpPort().toInt();
    }

    private static String format(int priority, String inPort, short proto, String src, String dst, String out) {
        return "priority=" + priority + " in_port=" + inPort + " ip_proto=" + proto + " src=" + src + " dst=" + dst
                + " out=" + out;
    }
}
