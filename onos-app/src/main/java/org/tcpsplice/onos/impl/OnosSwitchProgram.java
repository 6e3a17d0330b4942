package org.tcpsplice.onos.impl;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.function.Supplier;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.PortNumber;
import org.onosproject.net.device.DeviceService;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.FlowId;
import org.onosproject.net.flow.FlowRule;
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
    /** How long an add waits for an earlier removal of its flow id to be confirmed. */
    static final long REMOVAL_WAIT_MILLIS = 2000;

    private final FlowRuleService flows;
    private final DeviceService devices;
    private final MastershipService mastership;
    private final ApplicationId app;
    private final Supplier<DeviceId> device;
    /** Removals ONOS has not confirmed yet, by flow id (see {@link #change}). */
    private final Map<FlowId, CompletableFuture<Void>> removals = new ConcurrentHashMap<>();

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
        return change(List.of(), List.of(FlowRules.connection(connection, toNode, idleSeconds, d, app),
                FlowRules.connection(connection.reversed(), toPort(clientPort), idleSeconds, d, app)));
    }

    @Override
    public void steerBack(FourTuple towardClient, int clientPort, int idleSeconds) {
        change(List.of(), List.of(FlowRules.connection(towardClient, toPort(clientPort), idleSeconds, device.get(), app)));
    }

    @Override
    public void endSteering(FourTuple connection) {
        change(List.of(FlowRules.connectionEnded(connection, device.get(), app)), List.of());
    }

    @Override
    public void nodeConnectionFlow(FourTuple direction, int idleSeconds) {
        change(List.of(), List.of(FlowRules.connection(direction, NodeConnections.forwarding(), idleSeconds, device.get(), app)));
    }

    /** The old rules removed in a stage before the new ones are added; completes when ONOS confirms both. */
    @Override
    public CompletionStage<Void> changeRules(List<SwitchRule> remove, List<SwitchRule> add) {
        DeviceId d = device.get();
        return change(remove.stream().map(r -> FlowRules.of(r, d, app)).collect(Collectors.toList()),
                add.stream().map(r -> FlowRules.of(r, d, app)).collect(Collectors.toList()));
    }

    @Override
    public void confirm(long timeoutMillis) {
    }

    /**
     * {@code remove}, then {@code add} a stage later; completes when ONOS confirms both. ONOS runs
     * separate operations on pools of threads, in either order, and a rule's flow id comes from its
     * match, not its treatment: a connection's flows ended and its port used again at once, or a
     * splice's rules ended and a new splice on the same tuple, add rules with the ids of rules still
     * being removed, and when the add went first the removal deleted the new rule. So an add waits
     * for an earlier removal of its flow id still in flight, at most {@link #REMOVAL_WAIT_MILLIS}
     * (a switch that never confirms).
     */
    private CompletableFuture<Void> change(List<FlowRule> remove, List<FlowRule> add) {
        CompletableFuture<?>[] earlier = add.stream().map(r -> removals.get(r.id())).filter(Objects::nonNull)
                .toArray(CompletableFuture[]::new);
        CompletableFuture<Void> done = earlier.length == 0 ? apply(remove, add)
                : CompletableFuture.allOf(earlier).completeOnTimeout(null, REMOVAL_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                        .handle((ignored, failure) -> null).thenCompose(ignored -> apply(remove, add));
        for (FlowRule r : remove) {
            removals.put(r.id(), done);
        }
        done.whenComplete((ignored, failure) -> remove.forEach(r -> removals.remove(r.id(), done)));
        return done;
    }

    private CompletableFuture<Void> apply(List<FlowRule> remove, List<FlowRule> add) {
        FlowRuleOperations.Builder ops = FlowRuleOperations.builder();
        remove.forEach(ops::remove);
        if (!remove.isEmpty() && !add.isEmpty()) {
            ops.newStage();
        }
        add.forEach(ops::add);
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
