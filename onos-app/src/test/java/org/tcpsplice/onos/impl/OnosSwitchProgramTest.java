package org.tcpsplice.onos.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import org.onosproject.net.flow.FlowRule;
import org.tcpsplice.core.engine.Node;
import org.tcpsplice.core.net.FourTuple;

/** OnosSwitchProgram on ONOS's FlowRuleServiceAdapter (a fake switch, ManagerFixture's). */
public class OnosSwitchProgramTest {
    private static final FourTuple CONNECTION = FourTuple.parse("10.0.0.1:40000->10.0.0.100:80");

    private final ManagerFixture fx = new ManagerFixture();
    private final OnosSwitchProgram program = new OnosSwitchProgram(fx.manager.flowRuleService, null, null,
            ManagerFixture.APP, () -> ManagerFixture.EDGE);

    @After
    public void deactivate() {
        fx.manager.deactivate();
    }

    /** A port used again at once: the new steering flows (the same flow ids) go out only after the old ones' removal. */
    @Test
    public void aConnectionsFlowsAddedAgainWaitForTheRemovalOfTheSameFlows() throws Exception {
        Node node = fx.manager.engine().service().nodes.get(1);
        program.steer(CONNECTION, node, 1, 300).toCompletableFuture().get(1, TimeUnit.SECONDS);
        fx.switchConfirms = false;
        program.endSteering(CONNECTION);
        fx.switchConfirms = true;
        fx.applied.clear();
        CompletableFuture<Void> steered = program.steer(CONNECTION, node, 1, 300).toCompletableFuture();
        assertFalse("nothing added while the removal of the same flows is unconfirmed", steered.isDone());
        assertTrue(fx.applied.isEmpty());
        fx.unconfirmed.forEach(ops -> ops.callback().onSuccess(ops));
        steered.get(1, TimeUnit.SECONDS);
        assertEquals(2, fx.applied.size());
        for (FlowRule r : fx.applied) {
            assertTrue(fx.table.containsKey(r.id()));
        }
    }

    /** A switch that never confirms a removal holds the add back only for a bounded time. */
    @Test
    public void anUnconfirmedRemovalHoldsTheAddBackForABoundedTime() throws Exception {
        Node node = fx.manager.engine().service().nodes.get(1);
        fx.switchConfirms = false;
        program.endSteering(CONNECTION);
        fx.switchConfirms = true;
        program.steer(CONNECTION, node, 1, 300).toCompletableFuture()
                .get(OnosSwitchProgram.REMOVAL_WAIT_MILLIS + 2000, TimeUnit.MILLISECONDS);
        assertEquals(2, fx.applied.stream().filter(r -> FlowRules.connectionOf(r) != null).count());
    }
}
