package org.tcpsplice.controller.openflow;

import java.util.EnumSet;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;
import org.tcpsplice.core.rules.RuleAction;
import org.tcpsplice.core.rules.RuleMatch;
import org.tcpsplice.core.rules.SwitchRule;

/** splice-core's abstract switch rules as OpenFlow 1.3 flow-mods: one flow per rule, nothing added or dropped. */
public final class FlowMods {
    /** Punted packets carry the whole frame (OFPCML_NO_BUFFER). */
    public static final int WHOLE_PACKET = 0xFFFF;

    private FlowMods() {
    }

    public static Match match(OFFactory f, RuleMatch m) {
        Match.Builder b = f.buildMatch();
        if (m.inPort != RuleMatch.ANY_PORT) {
            b.setExact(MatchField.IN_PORT, OFPort.of(m.inPort));
        }
        return b.setExact(MatchField.ETH_TYPE, EthType.IPv4)
                .setExact(MatchField.IP_PROTO, IpProtocol.TCP)
                .setExact(MatchField.IPV4_SRC, IPv4Address.of(m.tuple.srcIp))
                .setExact(MatchField.IPV4_DST, IPv4Address.of(m.tuple.dstIp))
                .setExact(MatchField.TCP_SRC, TransportPort.of(m.tuple.srcPort))
                .setExact(MatchField.TCP_DST, TransportPort.of(m.tuple.dstPort))
                .build();
    }

    public static List<OFAction> actions(OFFactory f, RuleAction a) {
        OFPort port = a.type == RuleAction.Type.PUNT ? OFPort.CONTROLLER : OFPort.of(a.port);
        return List.of(f.actions().buildOutput().setPort(port).setMaxLen(WHOLE_PACKET).build());
    }

    public static OFFlowAdd add(OFFactory f, SwitchRule r, long xid) {
        return f.buildFlowAdd().setXid(xid).setTableId(TableId.of(0)).setPriority(r.priority)
                .setCookie(U64.of(r.cookie)).setMatch(match(f, r.match))
                .setInstructions(List.of(f.instructions().applyActions(actions(f, r.action))))
                .setBufferId(OFBufferId.NO_BUFFER).setIdleTimeout(0).setHardTimeout(0)
                .setFlags(EnumSet.noneOf(OFFlowModFlags.class)).build();
    }

    public static OFFlowDeleteStrict delete(OFFactory f, SwitchRule r, long xid) {
        return f.buildFlowDeleteStrict().setXid(xid).setTableId(TableId.of(0)).setPriority(r.priority)
                .setMatch(match(f, r.match)).setOutPort(OFPort.ANY).build();
    }
}
