package org.tcpsplice.onos.impl;

import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.map.HandoffOutcome;

import static org.tcpsplice.core.testing.Figure2.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onlab.packet.Ethernet;
import org.onlab.packet.IPv4;
import org.onlab.packet.Ip4Prefix;
import org.onlab.packet.TpPort;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreServiceAdapter;
import org.onosproject.core.DefaultApplicationId;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import org.onlab.packet.IpAddress;
import org.onlab.packet.MacAddress;
import org.onlab.packet.VlanId;
import org.onosproject.net.DefaultHost;
import org.onosproject.net.Host;
import org.onosproject.net.HostId;
import org.onosproject.net.HostLocation;
import org.onosproject.net.config.Config;
import org.onosproject.net.config.NetworkConfigRegistryAdapter;
import org.onosproject.net.host.HostServiceAdapter;
import org.onosproject.net.provider.ProviderId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.PortNumber;
import org.onosproject.net.flow.DefaultTrafficSelector;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.FlowRuleOperation;
import org.onosproject.net.flow.FlowRuleOperations;
import org.onosproject.net.flow.DefaultFlowEntry;
import org.onosproject.net.flow.FlowEntry;
import org.onosproject.net.flow.FlowRuleServiceAdapter;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.packet.PacketPriority;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.packet.OutboundPacket;
import org.onosproject.net.packet.PacketProcessor;
import org.onosproject.net.packet.PacketServiceAdapter;
import org.tcpsplice.onos.api.SpliceConfig;
import org.tcpsplice.onos.api.SpliceStore;

/**
 * The ONOS manager wired to ONOS's own test adapters (fakes: CoreServiceAdapter, FlowRuleServiceAdapter,
 * PacketServiceAdapter, NetworkConfigRegistryAdapter, HostServiceAdapter) and an in-memory store (a fake
 * of the distributed one), recording what the manager does to them. Shared by the manager and REST tests.
 */
public final class ManagerFixture {
    public static final DeviceId EDGE = DeviceId.deviceId("of:0000000000000001");
    public static final ApplicationId APP = new DefaultApplicationId(77, SpliceManager.APP_NAME);

    /** Rules applied since activation (the standing rules that activation applies are in {@link #standing}). */
    public final List<FlowRule> applied = new ArrayList<>();
    /** The rules activation applied (the nodes' standing rules). */
    public final List<FlowRule> standing = new ArrayList<>();
    /** The flow-rule listeners the manager registered. */
    public final List<org.onosproject.net.flow.FlowRuleListener> flowListeners = new ArrayList<>();
    public final List<FlowRule> removed = new ArrayList<>();
    public final List<ApplicationId> removedByApp = new ArrayList<>();
    public final Map<PacketProcessor, Integer> processors = new HashMap<>();
    public final List<OutboundPacket> emitted = new ArrayList<>();
    public final Map<String, String> stored = new HashMap<>();
    public final SpliceManager manager = new SpliceManager();
    /** Whether ONOS's hosts (the fake HostService) know the client; false as after a switch reconnect. */
    public volatile boolean hostsKnowTheClient = true;
    /** The manager's clock, in milliseconds (a fake: tests move it). */
    public final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
    /** The packet intercepts currently requested. */
    public final List<TrafficSelector> requested = new ArrayList<>();
    /** Set to false to play an instance that is not the device's master. */
    public volatile boolean master = true;
    /** The gauges registered with ONOS's metrics service, by name. */
    public final Map<String, com.codahale.metrics.Gauge<?>> gauges = new java.util.concurrent.ConcurrentHashMap<>();
    /** The store listeners the manager registered. */
    public final List<SpliceStore.Listener> storeListeners = new ArrayList<>();
    /** Set to false to play a switch that never confirms. */
    public volatile boolean switchConfirms = true;
    /** The operations applied while the switch did not confirm, for a test to confirm later. */
    public final List<FlowRuleOperations> unconfirmed = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The rules on the switch now, by ONOS's flow id: what the operations added and did not remove since. */
    public final Map<org.onosproject.net.flow.FlowId, FlowRule> table =
            Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    /** The switch confirms removeFlowRulesById this long later, on another thread (0: at once). */
    public volatile long removalConfirmedAfterMillis;

    /** The network configuration of the Figure 2 hosts, as an operator would POST it to ONOS. */
    public static final String CONFIG = "{\"device\": \"of:0000000000000001\", \"vip\": \"10.0.0.100\", \"port\": 80,"
            + " \"vipMac\": \"02:00:00:00:00:64\", \"nodes\": ["
            + " {\"id\": \"node-a\", \"ip\": \"10.0.1.1\", \"mac\": \"02:00:00:00:01:01\", \"switchPort\": 2},"
            + " {\"id\": \"node-b\", \"ip\": \"10.0.1.2\", \"mac\": \"02:00:00:00:01:02\", \"switchPort\": 3},"
            + " {\"id\": \"node-c\", \"ip\": \"10.0.1.3\", \"mac\": \"02:00:00:00:01:03\", \"switchPort\": 4}]}";

    public static SpliceConfig config(String json) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            SpliceConfig c = new SpliceConfig();
            c.init(APP, SpliceConfig.KEY, mapper.readTree(json), mapper, null);
            return c;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A manager wired to the fakes, activated, configured for Figure 2, A recorded as the client's server. */
    public ManagerFixture() {
        this(CONFIG);
    }

    /** The same, configured by this network configuration. */
    public ManagerFixture(String networkConfig) {
        this(networkConfig, true);
    }

    /**
     * recordClient: A is recorded as the client's server, as if its SYN had come (false: the test sends
     * the SYN itself).
     */
    public ManagerFixture(String networkConfig, boolean recordClient) {
        manager.coreService = new CoreServiceAdapter() {
            @Override
            public ApplicationId registerApplication(String name) {
                return APP;
            }
        };
        manager.flowRuleService = new FlowRuleServiceAdapter() {
            @Override
            public void applyFlowRules(FlowRule... rules) {
                applied.addAll(Arrays.asList(rules));
                Arrays.stream(rules).forEach(r -> table.put(r.id(), r));
            }

            @Override
            public void removeFlowRules(FlowRule... rules) {
                removed.addAll(Arrays.asList(rules));
                Arrays.stream(rules).forEach(r -> table.remove(r.id()));
            }

            @Override
            public void apply(FlowRuleOperations ops) {
                // A switch that applies everything, then confirms it (or never answers).
                for (java.util.Set<FlowRuleOperation> stage : ops.stages()) {
                    for (FlowRuleOperation op : stage) {
                        boolean remove = op.type() == FlowRuleOperation.Type.REMOVE;
                        (remove ? removed : applied).add(op.rule());
                        if (remove) {
                            table.remove(op.rule().id());
                        } else {
                            table.put(op.rule().id(), op.rule());
                        }
                    }
                }
                if (switchConfirms) {
                    ops.callback().onSuccess(ops);
                } else {
                    unconfirmed.add(ops);
                }
            }

            @Override
            public void addListener(org.onosproject.net.flow.FlowRuleListener listener) {
                flowListeners.add(listener);
            }

            @Override
            public void removeListener(org.onosproject.net.flow.FlowRuleListener listener) {
                flowListeners.remove(listener);
            }

            @Override
            public void removeFlowRulesById(ApplicationId id) {
                removedByApp.add(id);
                Runnable confirmed = () -> {
                    synchronized (table) {
                        table.values().removeIf(r -> r.appId() == id.id());
                    }
                };
                if (removalConfirmedAfterMillis == 0) {
                    confirmed.run();
                    return;
                }
                Thread later = new Thread(() -> { // ONOS's operation threads, the switch's confirmation
                    try {
                        Thread.sleep(removalConfirmedAfterMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                    confirmed.run();
                });
                later.setDaemon(true);
                later.start();
            }

            @Override
            public Iterable<FlowEntry> getFlowEntriesById(ApplicationId id) {
                List<FlowEntry> entries = new ArrayList<>();
                synchronized (table) {
                    table.values().stream().filter(r -> r.appId() == id.id()).forEach(r -> entries.add(new DefaultFlowEntry(r)));
                }
                return entries;
            }
        };
        manager.packetService = new PacketServiceAdapter() {
            @Override
            public void addProcessor(PacketProcessor processor, int priority) {
                processors.put(processor, priority);
            }

            @Override
            public void removeProcessor(PacketProcessor processor) {
                processors.remove(processor);
            }

            @Override
            public void requestPackets(TrafficSelector selector, PacketPriority priority, ApplicationId appId) {
                requested.add(selector);
            }

            @Override
            public void cancelPackets(TrafficSelector selector, PacketPriority priority, ApplicationId appId) {
                requested.remove(selector);
            }

            @Override
            public void emit(OutboundPacket packet) {
                emitted.add(packet);
            }
        };
        manager.store = new SpliceStore() {
            @Override
            public java.util.concurrent.CompletableFuture<Void> put(String clientKey, String splice) {
                stored.put(clientKey, splice);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> remove(String clientKey) {
                stored.remove(clientKey);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }

            @Override
            public Map<String, String> all() {
                return new HashMap<>(stored);
            }

            @Override
            public void addListener(Listener listener) {
                storeListeners.add(listener);
            }

            @Override
            public void removeListener(Listener listener) {
                storeListeners.remove(listener);
            }
        };
        manager.configRegistry = new NetworkConfigRegistryAdapter() {
            @Override
            @SuppressWarnings("unchecked")
            public <S, C extends Config<S>> C getConfig(S subject, Class<C> configClass) {
                return configClass == SpliceConfig.class ? (C) config(networkConfig) : null;
            }
        };
        manager.hostService = new HostServiceAdapter() {
            @Override
            public Set<Host> getHostsByIp(IpAddress ip) {
                if (!ip.equals(IpAddress.valueOf(CLIENT)) || !hostsKnowTheClient) {
                    return Collections.emptySet();
                }
                return Collections.singleton(new DefaultHost(ProviderId.NONE, HostId.hostId(MacAddress.valueOf(CLIENT_MAC)),
                        MacAddress.valueOf(CLIENT_MAC), VlanId.NONE,
                        new HostLocation(EDGE, PortNumber.portNumber(CLIENT_SWITCH_PORT), 0), Collections.singleton(ip)));
            }
        };
        manager.deviceService = new org.onosproject.net.device.DeviceServiceAdapter() {
            @Override
            public boolean isAvailable(org.onosproject.net.DeviceId deviceId) {
                return true;
            }
        };
        manager.mastershipService = new org.onosproject.mastership.MastershipServiceAdapter() {
            @Override
            public boolean isLocalMaster(DeviceId deviceId) {
                return master;
            }
        };
        manager.cfgService = new org.onosproject.cfg.ComponentConfigAdapter();
        manager.metricsService = metricsService();
        manager.clock = now::get;
        manager.activate(null);
        standing.addAll(applied);
        applied.clear();
        if (recordClient) {
            manager.engine().recordOwner(CLIENT_KEY, NODE_A); // what the VIP front end records at the client's SYN
        }
    }

    /**
     * ONOS's metrics service as a fake (a proxy: onlab-misc has no test adapter for it) that keeps the
     * gauges registered, by name, in {@link #gauges}.
     */
    private org.onlab.metrics.MetricsService metricsService() {
        return (org.onlab.metrics.MetricsService) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {org.onlab.metrics.MetricsService.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "registerComponent":
                            return new org.onlab.metrics.MetricsComponent((String) args[0]);
                        case "registerMetric":
                            gauges.put((String) args[2], (com.codahale.metrics.Gauge<?>) args[3]);
                            return args[3];
                        case "removeMetric":
                            return gauges.remove((String) args[2]) != null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** A node's handoff as the REST API passes it on, answered once the engine has confirmed or undone it. */
    public HandoffOutcome handoff(String nodeId, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection) {
        return manager.engine().handoff(nodeId, clientSide, newConnection).join();
    }

    /** A Figure 2 handoff, by the node whose address it names. */
    public HandoffOutcome handoff(HandoffRequest r) {
        String node = r.requesterIp == NODE_A ? "node-a" : r.requesterIp == NODE_B ? "node-b" : "node-c";
        return handoff(node, r.clientSide, r.newConnection);
    }

    /** Deactivates the manager (its lifecycle methods are package-private to OSGi's view). */
    public void close() {
        manager.deactivate();
    }

    /** The six punt rules of the Figure 2 splice, written out by hand from the figure's numbers. */
    public static Set<String> figure2PuntRules() {
        return new HashSet<>(Arrays.asList(
                punt(CLIENT, CLIENT_PORT, SERVICE, HTTP),       // entry 212's key: the client's packets
                punt(SERVICE, HTTP, CLIENT, CLIENT_PORT),       // A's let-go end of c1
                punt(NODE_B, HTTP, NODE_A, A_TO_B_PORT),        // entry 214's key: B's replies
                punt(NODE_A, A_TO_B_PORT, NODE_B, HTTP),        // A's let-go end of c2
                punt(NODE_C, HTTP, NODE_B, B_TO_C_PORT),        // entry 216's key: C's replies
                punt(NODE_B, B_TO_C_PORT, NODE_C, HTTP)));      // B's let-go end of c3
    }

    /** Installed rules in the same text form, field by field. */
    public static Set<String> describe(List<FlowRule> rules) {
        Set<String> out = new HashSet<>();
        rules.forEach(r -> out.add(describe(r)));
        return out;
    }

    /** A punt rule written out by hand from the figure's numbers (not derived from the compiler). */
    static String punt(int srcIp, int srcPort, int dstIp, int dstPort) {
        TrafficSelector s = DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV4)
                .matchIPProtocol(IPv4.PROTOCOL_TCP).matchIPSrc(Ip4Prefix.valueOf(srcIp, 32))
                .matchIPDst(Ip4Prefix.valueOf(dstIp, 32)).matchTcpSrc(TpPort.tpPort(srcPort))
                .matchTcpDst(TpPort.tpPort(dstPort)).build();
        return describe(EDGE, 40000, new HashSet<>(s.criteria()), "[OUTPUT{port=CONTROLLER}]", true);
    }

    static String describe(DeviceId d, int priority, Set<?> criteria, String instructions, boolean permanent) {
        return d + " " + priority + " " + new java.util.TreeSet<>(criteria.stream().map(Object::toString)
                .collect(java.util.stream.Collectors.toSet())) + " " + instructions + " permanent=" + permanent;
    }

    static String describe(FlowRule r) {
        return describe(r.deviceId(), r.priority(), r.selector().criteria(),
                r.treatment().allInstructions().toString().replace("OUTPUT:", "OUTPUT{port=").replace("CONTROLLER]",
                        "CONTROLLER}]"), r.isPermanent());
    }

}
