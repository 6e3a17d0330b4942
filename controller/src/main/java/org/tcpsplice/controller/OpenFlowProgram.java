package org.tcpsplice.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.tcpsplice.controller.openflow.FlowMods;
import org.tcpsplice.controller.openflow.SwitchSession;
import org.tcpsplice.core.engine.Node;
import org.tcpsplice.core.engine.SwitchProgram;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.SwitchRule;

/**
 * The engine's requests as OpenFlow 1.3 flow-mods on the connected switch's channel. The channel is
 * ordered, so a flow-mod takes effect before any packet-out sent after it, and a barrier confirms
 * everything sent before it ({@link #confirm}, the group commit's).
 */
public final class OpenFlowProgram implements SwitchProgram {
    private volatile SwitchSession session;

    /** The switch connected (or connected again). */
    public void connected(SwitchSession s) {
        session = s;
    }

    /** The switch went away; only this session (a newer one may be connected already). */
    public void gone(SwitchSession s) {
        if (session == s) {
            session = null;
        }
    }

    /** The connected switch, ready for messages, or null. */
    public SwitchSession session() {
        SwitchSession s = session;
        return s != null && s.isReady() ? s : null;
    }

    @Override
    public boolean available() {
        return session() != null;
    }

    @Override
    public CompletionStage<Void> steer(FourTuple connection, Node node, int clientPort, int idleSeconds) {
        SwitchSession s = session();
        if (s != null) {
            send(s, Pipeline.connection(s.factory(), connection, node.mac, node.switchPort, clientPort, idleSeconds));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Not needed here: the switch keeps a restarted controller's steering flows. */
    @Override
    public void steerBack(FourTuple towardClient, int clientPort, int idleSeconds) {
    }

    @Override
    public void endSteering(FourTuple connection) {
        SwitchSession s = session();
        if (s != null) {
            send(s, Pipeline.connectionEnded(s.factory(), connection));
        }
    }

    @Override
    public void nodeConnectionFlow(FourTuple direction, int idleSeconds) {
        SwitchSession s = session();
        if (s != null) {
            send(s, List.of(Pipeline.nodeConnection(s.factory(), direction, idleSeconds)));
        }
    }

    @Override
    public CompletionStage<Void> changeRules(List<SwitchRule> remove, List<SwitchRule> add) {
        SwitchSession s = session();
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the switch disconnected"));
        }
        List<OFMessage> changes = new ArrayList<>();
        for (SwitchRule r : add) {
            changes.add(FlowMods.add(s.factory(), r, s.nextXid()));
        }
        for (SwitchRule r : remove) {
            changes.add(FlowMods.delete(s.factory(), r, s.nextXid()));
        }
        s.send(changes);
        return CompletableFuture.completedFuture(null); // confirmed by the group commit's barrier
    }

    @Override
    public void confirm(long timeoutMillis) throws Exception {
        SwitchSession s = session();
        if (s == null) {
            throw new IllegalStateException("the switch disconnected");
        }
        s.barrier().get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private static void send(SwitchSession s, List<? extends OFFlowMod> flows) {
        List<OFMessage> out = new ArrayList<>();
        flows.forEach(flow -> out.add(flow.createBuilder().setXid(s.nextXid()).build()));
        s.send(out);
    }
}
