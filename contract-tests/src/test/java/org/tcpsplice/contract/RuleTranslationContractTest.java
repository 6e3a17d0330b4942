package org.tcpsplice.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.onosproject.core.DefaultApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.criteria.Criterion;
import org.onosproject.net.flow.criteria.IPCriterion;
import org.onosproject.net.flow.criteria.PortCriterion;
import org.onosproject.net.flow.criteria.TcpPortCriterion;
import org.onosproject.net.flow.instructions.Instruction;
import org.onosproject.net.flow.instructions.Instructions;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;
import org.tcpsplice.controller.openflow.FlowMods;
import org.tcpsplice.core.rules.RuleCompiler;
import org.tcpsplice.core.rules.SwitchRule;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.onos.impl.FlowRules;

/**
 * The two controllers install the same switch rules for the same splice: the standalone one as OpenFlow
 * flow-mods, the ONOS app as FlowRules, each translated independently from splice-core's abstract rules.
 * Both are reduced to one text form (priority, match fields, output) and must agree rule for rule.
 */
class RuleTranslationContractTest {
    private static final OFFactory OF = OFFactories.getFactory(OFVersion.OF_13);

    private static String openflow(OFFlowAdd f) {
        StringBuilder s = new StringBuilder("priority=" + f.getPriority());
        OFPort in = f.getMatch().get(MatchField.IN_PORT);
        s.append(" in_port=").append(in == null ? "any" : in.getPortNumber());
        s.append(" ip_proto=").append(f.getMatch().get(MatchField.IP_PROTO).getIpProtocolNumber());
        s.append(" src=").append(f.getMatch().get(MatchField.IPV4_SRC)).append(':').append(f.getMatch().get(MatchField.TCP_SRC).getPort());
        s.append(" dst=").append(f.getMatch().get(MatchField.IPV4_DST)).append(':').append(f.getMatch().get(MatchField.TCP_DST).getPort());
        OFActionOutput out = (OFActionOutput) ((OFInstructionApplyActions) f.getInstructions().get(0)).getActions().get(0);
        s.append(" out=").append(out.getPort().equals(OFPort.CONTROLLER) ? "controller" : String.valueOf(out.getPort().getPortNumber()));
        return s.toString();
    }

    private static String onos(FlowRule r) {
        StringBuilder s = new StringBuilder("priority=" + r.priority());
        PortCriterion in = (PortCriterion) r.selector().getCriterion(Criterion.Type.IN_PORT);
        s.append(" in_port=").append(in == null ? "any" : String.valueOf(in.port().toLong()));
        s.append(" ip_proto=").append(((org.onosproject.net.flow.criteria.IPProtocolCriterion)
                r.selector().getCriterion(Criterion.Type.IP_PROTO)).protocol());
        s.append(" src=").append(((IPCriterion) r.selector().getCriterion(Criterion.Type.IPV4_SRC)).ip().address())
                .append(':').append(((TcpPortCriterion) r.selector().getCriterion(Criterion.Type.TCP_SRC)).tcpPort().toInt());
        s.append(" dst=").append(((IPCriterion) r.selector().getCriterion(Criterion.Type.IPV4_DST)).ip().address())
                .append(':').append(((TcpPortCriterion) r.selector().getCriterion(Criterion.Type.TCP_DST)).tcpPort().toInt());
        Instruction i = r.treatment().allInstructions().get(0);
        long port = ((Instructions.OutputInstruction) i).port().toLong();
        s.append(" out=").append(port == org.onosproject.net.PortNumber.CONTROLLER.toLong() ? "controller" : String.valueOf(port));
        return s.toString();
    }

    @Test
    void bothControllersInstallTheSameRulesForTheFigure2Splice() {
        for (RuleCompiler.Mode mode : RuleCompiler.Mode.values()) {
            List<SwitchRule> rules = RuleCompiler.compile(Figure2.afterBothHandoffs().tables, Figure2.CLIENT_KEY, mode);
            Set<String> standalone = new TreeSet<>();
            Set<String> onosApp = new TreeSet<>();
            for (SwitchRule r : rules) {
                standalone.add(openflow(FlowMods.add(OF, r, 1)));
                onosApp.add(onos(FlowRules.of(r, DeviceId.deviceId("of:0000000000000001"),
                        new DefaultApplicationId(1, "org.tcpsplice.app"))));
            }
            assertEquals(rules.size(), standalone.size(), mode + ": one flow per rule");
            assertEquals(standalone, onosApp, mode + ": the same rules, field by field");
        }
    }
}
