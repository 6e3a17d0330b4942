package org.tcpsplice.onos.impl;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.PortNumber;
import org.onosproject.net.device.DeviceService;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.FlowRuleOperations;
import org.onosproject.net.flow.FlowRuleOperationsContext;
import org.onosproject.net.flow.FlowRuleService;
import org.onosproject.net.flow.TrafficTreatment;
import org.onosproject.mastership.MastershipService;
import org.tcpsplice.core.engine.Node;
import org.tcpsplice.core.engine.SwitchProgram;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.SwitchRule;

/**
 * The engine's requests as ONOS flow rules on the configured device. ONOS confirms each batch through
 * its operations context, so {@link #changeRules} completes on that, and {@link #confirm} has nothing
 * left to wait for. Only the device's master instance programs it (in a cluster the others see the
 * same splices through the store, and stand by).
 */
final class OnosSwitchProgram implements SwitchProgram {
    private final FlowRuleService flows;
    private final DeviceService devices;
    private final MastershipService mastership;
    private final ApplicationId app;
    private final Supplier<DeviceId> device;

    OnosSwitchProgram(FlowRuleService flows, DeviceService devices, MastershipService mastership, ApplicationId app,
                      Supplier<DeviceId> device) {
        this.flows = flows;
        this.devices = devices;
        this.mastership = mastership;
        this.app = app;
        this.device = device;
    }

    @Override
    public boolean available() {
        DeviceId d = device.get();
        return d != null && devices.isAvailable(d) && mastership.isLocalMaster(d);
    }

    @Override
    public CompletionStage<Void> steer(FourTuple connection, Node node, int clientPort, int idleSeconds) {
        DeviceId d = device.get();
        TrafficTreatment toNode = DefaultTrafficTreatment.builder()
                .setEthDst(org.onlab.packet.MacAddress.valueOf(node.mac))
                .setOutput(PortNumber.portNumber(node.switchPort)).build();
        return apply(FlowRuleOperations.builder()
                .add(FlowRules.connection(connection, toNode, idleSeconds, d, app))
                .add(FlowRules.connection(connection.reversed(), toPort(clientPort), idleSeconds, d, app)));
    }

    @Override
    public void steerBack(FourTuple towardClient, int clientPort, int idleSeconds) {
        flows.applyFlowRules(FlowRules.connection(towardClient, toPort(clientPort), idleSeconds, device.get(), app));
    }

    @Override
    public void endSteering(FourTuple connection) {
        flows.removeFlowRules(FlowRules.connectionEnded(connection, device.get(), app));
    }

    @Override
    public void nodeConnectionFlow(FourTuple direction, int idleSeconds) {
        flows.applyFlowRules(FlowRules.connection(direction, NodeConnections.forwarding(), idleSeconds, device.get(), app));
    }

    /** The old rules removed in a stage before the new ones are added; completes when ONOS confirms both. */
    @Override
    public CompletionStage<Void> changeRules(List<SwitchRule> remove, List<SwitchRule> add) {
        DeviceId d = device.get();
        FlowRuleOperations.Builder ops = FlowRuleOperations.builder();
        remove.forEach(r -> ops.remove(FlowRules.of(r, d, app)));
        if (!remove.isEmpty()) {
            ops.newStage();
        }
        add.forEach(r -> ops.add(FlowRules.of(r, d, app)));
        return apply(ops);
    }

    @Override
    public void confirm(long timeoutMillis) {
    }

    private CompletableFuture<Void> apply(FlowRuleOperations.Builder ops) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        flows.apply(ops.build(new FlowRuleOperationsContext() {
            @Override
            public void onSuccess(FlowRuleOperations done) {
                confirmed.complete(null);
            }

            @Override
            public void onError(FlowRuleOperations failed) {
                confirmed.completeExceptionally(new IllegalStateException("it refused them"));
            }
        }));
        return confirmed;
    }

    private static TrafficTreatment toPort(int port) {
        return DefaultTrafficTreatment.builder().setOutput(PortNumber.portNumber(port)).build();
    }
}
