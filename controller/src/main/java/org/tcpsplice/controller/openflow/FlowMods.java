package org.tcpsplice.controller.openflow;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFOxmList;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.oxm.OFOxms;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.SwitchRule;

/** splice-core's abstract switch rules as OpenFlow 1.3 flow-mods: one flow per rule, nothing added or dropped. */
public final class FlowMods {
    /** Punted packets carry the whole frame (OFPCML_NO_BUFFER). */
    public static final int WHOLE_PACKET = 0xFFFF;

    private FlowMods() {
    }

    /**
     * The rule's match, its OXM list built in one go: openflowj's {@code setExact} rebuilds the whole list
     * on every call, which was the controller's largest CPU cost at a thousand handoffs a second.
     */
    public static Match match(OFFactory f, FourTuple t) {
        OFOxms x = f.oxms();
        List<OFOxm<?>> fields = new ArrayList<>(7);
        fields.add(x.ethType(EthType.IPv4));
        fields.add(x.ipProto(IpProtocol.TCP));
        fields.add(x.ipv4Src(IPv4Address.of(t.srcIp)));
        fields.add(x.ipv4Dst(IPv4Address.of(t.dstIp)));
        fields.add(x.tcpSrc(TransportPort.of(t.srcPort)));
        fields.add(x.tcpDst(TransportPort.of(t.dstPort)));
        return f.buildMatchV3().setOxmList(OFOxmList.ofList(fields)).build();
    }

    /** To the controller, the whole frame. */
    public static List<OFAction> punt(OFFactory f) {
        return List.of(f.actions().buildOutput().setPort(OFPort.CONTROLLER).setMaxLen(WHOLE_PACKET).build());
    }

    public static OFFlowAdd add(OFFactory f, SwitchRule r, long xid) {
        return f.buildFlowAdd().setXid(xid).setTableId(TableId.of(0)).setPriority(r.priority)
                .setCookie(U64.of(r.cookie)).setMatch(match(f, r.tuple))
                .setInstructions(List.of(f.instructions().applyActions(punt(f))))
                .setBufferId(OFBufferId.NO_BUFFER).setIdleTimeout(0).setHardTimeout(0)
                .setFlags(EnumSet.noneOf(OFFlowModFlags.class)).build();
    }

    public static OFFlowDeleteStrict delete(OFFactory f, SwitchRule r, long xid) {
        return f.buildFlowDeleteStrict().setXid(xid).setTableId(TableId.of(0)).setPriority(r.priority)
                .setMatch(match(f, r.tuple)).setOutPort(OFPort.ANY).build();
    }
}
