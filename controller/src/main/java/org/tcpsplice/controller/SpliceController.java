package org.tcpsplice.controller;

import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpsplice.controller.openflow.SwitchListener;
import org.tcpsplice.controller.openflow.SwitchSession;
import org.tcpsplice.core.engine.PacketIn;
import org.tcpsplice.core.engine.SpliceEngine;
import org.tcpsplice.core.net.FourTuple;

/**
 * The standalone controller's OpenFlow side: switch events translated for splice-core's
 * {@link SpliceEngine}, and its packets out as OpenFlow packet-outs. What the engine asks of the switch
 * is {@link OpenFlowProgram}'s; the standing flows are {@link Pipeline}'s.
 */
public final class SpliceController implements SwitchListener {
    private static final Logger LOG = LoggerFactory.getLogger(SpliceController.class);

    private final SpliceEngine engine;
    private final OpenFlowProgram program;

    SpliceController(SpliceEngine engine, OpenFlowProgram program) {
        this.engine = engine;
        this.program = program;
    }

    @Override
    public void switchReady(SwitchSession s) {
        program.connected(s);
        List<OFMessage> flows = new ArrayList<>();
        Pipeline.standing(s.factory(), engine.service().vip, engine.service().nodes, engine.fastPath().replacesSpliceRules())
                .forEach(flow -> flows.add(flow.createBuilder().setXid(s.nextXid()).build()));
        s.send(flows);
        engine.switchReset();
        int splices = engine.tables().spliceCount();
        s.barrier().whenComplete((ok, error) -> LOG.info("switch {}: standing flows and {} splices {}",
                s.datapathId(), splices, error == null ? "installed" : "NOT confirmed: " + error.getMessage()));
    }

    @Override
    public void switchGone(SwitchSession s) {
        program.gone(s);
    }

    @Override
    public void packetIn(SwitchSession s, OFPacketIn pi) {
        byte[] data = pi.getData();
        OFPort inPort = pi.getMatch().get(MatchField.IN_PORT);
        OpenFlowPacketIn in = new OpenFlowPacketIn(s, inPort);
        if (!engine.onPacketIn(data, in)) {
            in.forwardNormally(data); // nothing else here would forward it
        }
    }

    @Override
    public void flowRemoved(SwitchSession s, OFFlowRemoved removed) {
        long cookie = removed.getCookie().getValue();
        if (cookie != Pipeline.CONNECTION_COOKIE && cookie != Pipeline.NODE_CONNECTION_COOKIE) {
            return;
        }
        IPv4Address src = removed.getMatch().get(MatchField.IPV4_SRC);
        IPv4Address dst = removed.getMatch().get(MatchField.IPV4_DST);
        TransportPort sport = removed.getMatch().get(MatchField.TCP_SRC);
        TransportPort dport = removed.getMatch().get(MatchField.TCP_DST);
        if (src == null || dst == null || sport == null || dport == null) {
            return;
        }
        FourTuple connection = new FourTuple(src.getInt(), sport.getPort(), dst.getInt(), dport.getPort());
        if (cookie == Pipeline.NODE_CONNECTION_COOKIE) {
            engine.nodeConnectionFlowRemoved(connection);
        } else if (removed.getReason() != OFFlowRemovedReason.DELETE) {
            // DELETE: removed by this controller (the splice ended, and the engine ended the connection
            // then) or with the switch's table; a new connection on the same tuple may be recorded by now.
            engine.steeringExpired(connection);
        }
    }

    /** A packet-in's ways out, as packet-outs on its switch's channel. */
    private static final class OpenFlowPacketIn implements PacketIn {
        private final SwitchSession s;
        private final OFPort inPort;

        OpenFlowPacketIn(SwitchSession s, OFPort inPort) {
            this.s = s;
            this.inPort = inPort;
        }

        @Override
        public int inPort() {
            return inPort.getPortNumber();
        }

        @Override
        public void output(byte[] frame, int port) {
            packetOut(frame, OFPort.CONTROLLER, OFPort.of(port));
        }

        @Override
        public void reply(byte[] frame) {
            packetOut(frame, inPort, OFPort.IN_PORT);
        }

        @Override
        public void forwardNormally(byte[] frame) {
            packetOut(frame, inPort, OFPort.NORMAL);
        }

        private void packetOut(byte[] frame, OFPort from, OFPort to) {
            List<OFAction> actions = List.of(s.factory().actions().buildOutput().setPort(to).setMaxLen(0).build());
            s.send(s.factory().buildPacketOut().setXid(s.nextXid()).setBufferId(OFBufferId.NO_BUFFER).setInPort(from)
                    .setActions(actions).setData(frame).build());
        }
    }
}
