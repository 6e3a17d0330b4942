package org.tcpsplice.onos.impl;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.FlowRuleEvent;
import org.onosproject.net.flow.FlowRuleListener;
import org.onosproject.net.flow.instructions.Instruction;
import org.onosproject.net.flow.instructions.Instructions;
import org.tcpsplice.core.engine.SpliceEngine;
import org.tcpsplice.core.net.FourTuple;

/**
 * Tells the engine when the switch dropped one of the app's per-connection flows by itself (it idled
 * out): a node connection's own flow (that direction asks again), or a connection's steering flow (the
 * connection is over). Flows the app removed itself are announced first by ONOS as removal requests,
 * and are not reported: their connection was ended already, and its tuple may be a new one's by now.
 */
final class ConnectionFlowsExpiry implements FlowRuleListener {
    private final ApplicationId app;
    private final SpliceEngine engine;
    private final Set<FourTuple> removedByUs = ConcurrentHashMap.newKeySet();

    ConnectionFlowsExpiry(ApplicationId app, SpliceEngine engine) {
        this.app = app;
        this.engine = engine;
    }

    @Override
    public boolean isRelevant(FlowRuleEvent event) {
        return event.subject().appId() == app.id() && FlowRules.connectionOf(event.subject()) != null;
    }

    @Override
    public void event(FlowRuleEvent event) {
        FourTuple t = FlowRules.connectionOf(event.subject());
        if (t == null || event.subject().appId() != app.id()) {
            return;
        }
        if (event.type() == FlowRuleEvent.Type.RULE_REMOVE_REQUESTED) {
            removedByUs.add(t);
        } else if (event.type() == FlowRuleEvent.Type.RULE_REMOVED && !removedByUs.remove(t)) {
            if (outputsNormally(event.subject())) {
                engine.nodeConnectionFlowRemoved(t);
            } else if (t.dstIp == engine.service().vip) {
                engine.steeringExpired(t); // the client-to-service direction names the connection
            }
        }
    }

    private static boolean outputsNormally(FlowRule rule) {
        for (Instruction i : rule.treatment().immediate()) {
            if (i instanceof Instructions.OutputInstruction
                    && ((Instructions.OutputInstruction) i).port().equals(org.onosproject.net.PortNumber.NORMAL)) {
                return true;
            }
        }
        return false;
    }
}
