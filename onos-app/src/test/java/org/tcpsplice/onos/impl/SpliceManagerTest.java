package org.tcpsplice.onos.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
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
import org.onosproject.net.ConnectPoint;
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
import org.onosproject.net.flow.FlowRuleServiceAdapter;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.packet.DefaultInboundPacket;
import org.onosproject.net.packet.InboundPacket;
import org.onosproject.net.packet.OutboundPacket;
import org.onosproject.net.packet.PacketContextAdapter;
import org.onosproject.net.packet.PacketProcessor;
import org.onosproject.net.packet.PacketServiceAdapter;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.SpliceText;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.vectors.TestVector;
import org.tcpsplice.core.vectors.VectorFile;
import org.tcpsplice.onos.api.SpliceConfig;
import org.tcpsplice.onos.api.SpliceStore;

/**
 * The ONOS manager with ONOS's own test adapters (fakes: CoreServiceAdapter, FlowRuleServiceAdapter,
 * PacketServiceAdapter, PacketContextAdapter, NetworkConfigRegistryAdapter, HostServiceAdapter) and an
 * in-memory store (a fake of the distributed one).
 */
public class SpliceManagerTest {
    private static final DeviceId EDGE = DeviceId.deviceId("of:0000000000000001");
    private static final ApplicationId APP = new DefaultApplicationId(77, SpliceManager.APP_NAME);

    private final List<FlowRule> applied = new ArrayList<>();
    private final List<FlowRule> removed = new ArrayList<>();
    private final List<ApplicationId> removedByApp = new ArrayList<>();
    private final Map<PacketProcessor, Integer> processors = new HashMap<>();
    private final List<OutboundPacket> emitted = new ArrayList<>();
    private final Map<String, String> stored = new HashMap<>();
    private SpliceManager manager;

    /** The network configuration of the Figure 2 hosts, as an operator would POST it to ONOS. */
    static final String CONFIG = "{\"device\": \"of:0000000000000001\", \"vip\": \"10.0.0.100\", \"port\": 80,"
            + " \"vipMac\": \"02:00:00:00:00:64\", \"nodes\": ["
            + " {\"id\": \"node-a\", \"ip\": \"10.0.1.1\", \"mac\": \"02:00:00:00:01:01\", \"switchPort\": 2},"
            + " {\"id\": \"node-b\", \"ip\": \"10.0.1.2\", \"mac\": \"02:00:00:00:01:02\", \"switchPort\": 3},"
            + " {\"id\": \"node-c\", \"ip\": \"10.0.1.3\", \"mac\": \"02:00:00:00:01:03\", \"switchPort\": 4}]}";

    static SpliceConfig config(String json) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            SpliceConfig c = new SpliceConfig();
            c.init(APP, SpliceConfig.KEY, mapper.readTree(json), mapper, null);
            return c;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Before
    public void activate() {
        manager = new SpliceManager();
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
            }

            @Override
            public void removeFlowRules(FlowRule... rules) {
                removed.addAll(Arrays.asList(rules));
            }

            @Override
            public void removeFlowRulesById(ApplicationId id) {
                removedByApp.add(id);
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
            public void emit(OutboundPacket packet) {
                emitted.add(packet);
            }
        };
        manager.store = new SpliceStore() {
            @Override
            public void put(String clientKey, String splice) {
                stored.put(clientKey, splice);
            }

            @Override
            public void remove(String clientKey) {
                stored.remove(clientKey);
            }

            @Override
            public Map<String, String> all() {
                return new HashMap<>(stored);
            }
        };
        manager.configRegistry = new NetworkConfigRegistryAdapter() {
            @Override
            @SuppressWarnings("unchecked")
            public <S, C extends Config<S>> C getConfig(S subject, Class<C> configClass) {
                return configClass == SpliceConfig.class ? (C) config(CONFIG) : null;
            }
        };
        manager.hostService = new HostServiceAdapter() {
            @Override
            public Set<Host> getHostsByIp(IpAddress ip) {
                if (!ip.equals(IpAddress.valueOf(CLIENT))) {
                    return Collections.emptySet();
                }
                return Collections.singleton(new DefaultHost(ProviderId.NONE, HostId.hostId(MacAddress.valueOf(CLIENT_MAC)),
                        MacAddress.valueOf(CLIENT_MAC), VlanId.NONE,
                        new HostLocation(EDGE, PortNumber.portNumber(CLIENT_SWITCH_PORT), 0), Collections.singleton(ip)));
            }
        };
        manager.activate();
        manager.recordOwner(CLIENT_KEY, NODE_A); // what the VIP front end records at the client's SYN
    }

    @After
    public void deactivate() {
        if (!processors.isEmpty()) {
            manager.deactivate();
        }
    }

    @Test
    public void activationAddsTheProcessorAndInstallsNothingDeactivationRemovesAll() {
        assertEquals(1, processors.size());
        assertEquals(Integer.valueOf(SpliceManager.PROCESSOR_PRIORITY), processors.values().iterator().next());
        assertTrue("no rule before a handoff", applied.isEmpty());
        manager.deactivate();
        assertTrue(processors.isEmpty());
        assertEquals(Arrays.asList(APP), removedByApp);
    }

    /** A punt rule written out by hand from the figure's numbers (not derived from the compiler). */
    private static String punt(int srcIp, int srcPort, int dstIp, int dstPort) {
        TrafficSelector s = DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV4)
                .matchIPProtocol(IPv4.PROTOCOL_TCP).matchIPSrc(Ip4Prefix.valueOf(srcIp, 32))
                .matchIPDst(Ip4Prefix.valueOf(dstIp, 32)).matchTcpSrc(TpPort.tpPort(srcPort))
                .matchTcpDst(TpPort.tpPort(dstPort)).build();
        return describe(EDGE, 40000, new HashSet<>(s.criteria()), "[OUTPUT{port=CONTROLLER}]", true);
    }

    private static String describe(DeviceId d, int priority, Set<?> criteria, String instructions, boolean permanent) {
        return d + " " + priority + " " + new java.util.TreeSet<>(criteria.stream().map(Object::toString)
                .collect(java.util.stream.Collectors.toSet())) + " " + instructions + " permanent=" + permanent;
    }

    private static String describe(FlowRule r) {
        return describe(r.deviceId(), r.priority(), r.selector().criteria(),
                r.treatment().allInstructions().toString().replace("OUTPUT:", "OUTPUT{port=").replace("CONTROLLER]",
                        "CONTROLLER}]"), r.isPermanent());
    }

    @Test
    public void theFigure2ChainAppliesExactlyTheSplicesRulesAndStoresIt() {
        assertEquals(HandoffOutcome.Kind.APPLIED, manager.handoff(Figure2.aToB()).kind);
        assertEquals(HandoffOutcome.Kind.APPLIED, manager.handoff(Figure2.bToC()).kind);

        Set<String> expected = new HashSet<>(Arrays.asList(
                punt(CLIENT, CLIENT_PORT, SERVICE, HTTP),       // entry 212's key: the client's packets
                punt(SERVICE, HTTP, CLIENT, CLIENT_PORT),       // A's let-go end of c1
                punt(NODE_B, HTTP, NODE_A, A_TO_B_PORT),        // entry 214's key: B's replies
                punt(NODE_A, A_TO_B_PORT, NODE_B, HTTP),        // A's let-go end of c2
                punt(NODE_C, HTTP, NODE_B, B_TO_C_PORT),        // entry 216's key: C's replies
                punt(NODE_B, B_TO_C_PORT, NODE_C, HTTP)));      // B's let-go end of c3
        Set<String> installed = new HashSet<>();
        for (FlowRule r : applied) {
            assertEquals(APP.id(), r.appId());
            installed.add(describe(r));
        }
        assertEquals(expected, installed);
        assertTrue("nothing of the first handoff needed removing", removed.isEmpty());

        Figure2 reference = Figure2.afterBothHandoffs();
        assertEquals(SpliceText.format(reference.tables, CLIENT_KEY), stored.get(CLIENT_KEY.toString()));

        assertTrue(manager.removeSplice(CLIENT_KEY));
        assertTrue(stored.isEmpty());
        assertEquals(6, removed.size());
        assertFalse(manager.removeSplice(CLIENT_KEY));
    }

    @Test
    public void aConfiguredNodeHandsOffByIdAndTheClientIsFoundAmongTheHosts() {
        HandoffOutcome out = manager.handoff("node-a", Figure2.aToB().clientSide, Figure2.aToB().newConnection);
        assertEquals(out.toString(), HandoffOutcome.Kind.APPLIED, out.kind);
        assertEquals(CLIENT_MAC, out.reverseEntry.newDstMac());
        assertEquals(CLIENT_SWITCH_PORT, out.reverseEntry.outPort);
        assertEquals(B_SWITCH_PORT, out.forwardEntry.outPort);
        assertEquals("four punt rules for one handoff", 4, applied.size());
        assertEquals(HandoffOutcome.Kind.REFUSED,
                manager.handoff("no-such-node", Figure2.aToB().clientSide, Figure2.aToB().newConnection).kind);
        assertEquals(HandoffOutcome.Kind.REFUSED,
                manager.handoff("node-b", Figure2.bToC().clientSide, new org.tcpsplice.core.handoff.ConnectionSnapshot(
                        new FourTuple(NODE_B, 50009, 0x0A000909, 80), 1, 1, Figure2.options(), 1, 1)).kind);
    }

    @Test
    public void anIncompleteConfigurationIsNotValid() {
        assertTrue(config(CONFIG).isValid());
        assertFalse("no vip", config("{\"device\": \"of:1\", \"nodes\": []}").isValid());
        try {
            config(CONFIG.replace("\"port\"", "\"portt\"")).isValid();
            throw new AssertionError("an unknown field must be reported");
        } catch (org.onosproject.net.config.InvalidFieldException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("portt"));
        }
        assertFalse("bad MAC", config(CONFIG.replace("02:00:00:00:01:03", "zz")).isValid());
    }

    @Test
    public void splicesComeBackFromTheStoreOnActivation() {
        manager.handoff(Figure2.aToB());
        manager.deactivate();
        SpliceManager again = manager;
        again.activate();
        assertEquals(Arrays.asList(CLIENT_KEY), again.splices());
        assertNotNull(again.spliceText(CLIENT_KEY));
    }

    /** A packet context around one frame (a PacketContextAdapter fake): records block(). */
    private static final class Punted extends PacketContextAdapter {
        private final InboundPacket in;
        boolean blocked;

        Punted(byte[] frame) {
            super(0, null, null, false);
            in = new DefaultInboundPacket(new ConnectPoint(EDGE, PortNumber.portNumber(1)), null, ByteBuffer.wrap(frame));
        }

        @Override
        public InboundPacket inPacket() {
            return in;
        }

        @Override
        public boolean block() {
            boolean first = !blocked;
            blocked = true;
            return first;
        }

        @Override
        public boolean isHandled() {
            return blocked;
        }
    }

    @Test
    public void puntedPacketsComeOutAsTheSharedVectorsSay() throws Exception {
        manager.handoff(Figure2.aToB());
        manager.handoff(Figure2.bToC());
        PacketProcessor processor = processors.keySet().iterator().next();
        List<TestVector> vectors = VectorFile.read(new String(Files.readAllBytes(Paths.get(
                System.getProperty("tcpsplice.vectors"))), StandardCharsets.US_ASCII));
        int checked = 0;
        for (TestVector v : vectors) {
            if (!v.name.startsWith("fig2-")) {
                continue; // the others use splice states of their own
            }
            emitted.clear();
            Punted context = new Punted(v.in.clone());
            processor.process(context);
            if (v.verdict.startsWith("TRANSLATED")) {
                assertEquals(v.name, 1, emitted.size());
                byte[] out = new byte[emitted.get(0).data().remaining()];
                emitted.get(0).data().duplicate().get(out);
                assertTrue(v.name + ": emitted bytes equal splice-core's translation", Arrays.equals(v.out, out));
                assertTrue(context.blocked);
            } else if (v.verdict.startsWith("DROP")) {
                assertTrue(v.name, emitted.isEmpty() && context.blocked);
            } else {
                assertTrue(v.name + ": left to forwarding", emitted.isEmpty() && !context.blocked);
            }
            checked++;
        }
        assertTrue("checked " + checked, checked >= 15);
    }
}
