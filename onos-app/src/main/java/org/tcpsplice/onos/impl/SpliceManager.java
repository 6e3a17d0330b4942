package org.tcpsplice.onos.impl;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.onlab.packet.Ethernet;
import org.onlab.packet.IPv4;
import org.onlab.packet.Ip4Address;
import org.onlab.packet.Ip4Prefix;
import org.onlab.packet.IpAddress;
import org.onlab.packet.TpPort;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.flow.DefaultFlowRule;
import org.onosproject.net.flow.DefaultTrafficSelector;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.flow.TrafficTreatment;
import org.onosproject.net.packet.PacketPriority;
import org.onosproject.net.DeviceId;
import org.onosproject.net.Host;
import org.onosproject.net.config.ConfigFactory;
import org.onosproject.net.config.NetworkConfigEvent;
import org.onosproject.net.config.NetworkConfigListener;
import org.onosproject.net.config.NetworkConfigRegistry;
import org.onosproject.net.config.basics.SubjectFactories;
import org.onosproject.net.host.HostService;
import org.onosproject.net.device.DeviceEvent;
import org.onosproject.net.device.DeviceListener;
import org.onosproject.net.device.DeviceService;
import org.onosproject.net.PortNumber;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.FlowRuleOperations;
import org.onosproject.net.flow.FlowRuleOperationsContext;
import org.onosproject.net.flow.FlowRuleService;
import org.onosproject.net.packet.DefaultOutboundPacket;
import org.onosproject.net.packet.PacketContext;
import org.onosproject.net.packet.PacketProcessor;
import org.onosproject.net.packet.PacketService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpsplice.core.PacketVerdict;
import org.tcpsplice.core.SpliceCounters;
import org.tcpsplice.core.SpliceSwitch;
import org.tcpsplice.core.distribution.NodeDistribution;
import org.tcpsplice.core.distribution.RoundRobinDistribution;
import org.tcpsplice.core.fastpath.FastPath;
import org.tcpsplice.core.fastpath.FastPathSignature;
import org.tcpsplice.core.fastpath.RemoteFastPath;
import org.tcpsplice.core.packet.PuntTag;
import org.tcpsplice.core.packet.ArpResponder;
import org.tcpsplice.core.handoff.ConnectionOwners;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.DataPathAddresses;
import org.tcpsplice.core.handoff.HandoffRefusal;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.SpliceText;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.packet.PureAck;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.rules.RuleCompiler;
import org.tcpsplice.core.rules.SwitchRule;
import org.tcpsplice.core.teardown.ExpiredSplice;
import org.tcpsplice.core.teardown.TeardownPolicy;
import org.tcpsplice.onos.api.SpliceConfig;
import org.tcpsplice.onos.api.SpliceStore;

/**
 * The ONOS side of tcpsplice: splice-core's {@link SpliceSwitch} wired to ONOS's flow rules, packet
 * path and distributed store. The same decisions as the standalone controller, other plumbing.
 *
 * <p>Configured through ONOS's network configuration ({@link SpliceConfig}). The VIP front end answers
 * ARP for the VIP and spreads new connections round-robin, steering each with two idle-timed flows.
 * Closed and idle splices are swept every second (patent Fig. 4, 405-410). With a switch-host agent
 * configured, splices live in the XDP fast path's map ({@link RemoteFastPath}) instead of per-splice
 * rules, and what the program does not translate arrives here with the punt tag.
 */
@Component(immediate = true, service = SpliceManager.class)
public class SpliceManager {
    static final String APP_NAME = "org.tcpsplice.app";
    /** Ahead of reactive forwarding: spliced packets must not be forwarded untranslated. */
    static final int PROCESSOR_PRIORITY = PacketProcessor.director(1);
    static final long CONFIRM_TIMEOUT_MS = 5000;
    /** Steering flows of unspliced connections: below the splices' punt rules (40000), idle-timed. */
    static final int CONNECTION_PRIORITY = 1000;
    static final int CONNECTION_IDLE_SECONDS = 300;
    private final Logger log = LoggerFactory.getLogger(getClass());

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected CoreService coreService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected FlowRuleService flowRuleService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected PacketService packetService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected SpliceStore store;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected NetworkConfigRegistry configRegistry;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected HostService hostService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected DeviceService deviceService;

    private final ConfigFactory<ApplicationId, SpliceConfig> configFactory =
            new ConfigFactory<ApplicationId, SpliceConfig>(SubjectFactories.APP_SUBJECT_FACTORY, SpliceConfig.class,
                    SpliceConfig.KEY) {
                @Override
                public SpliceConfig createConfig() {
                    return new SpliceConfig();
                }
            };
    private final NetworkConfigListener configListener = event -> {
        if (event.configClass() == SpliceConfig.class && (event.type() == NetworkConfigEvent.Type.CONFIG_ADDED
                || event.type() == NetworkConfigEvent.Type.CONFIG_UPDATED)) {
            applyConfig();
        }
    };
    /**
     * The fast path's standing rules again whenever the device (re)connects: applied while no instance
     * was its master (the app configured before the switch connected, or the switch reconnecting for its
     * driver), ONOS fails the batch and the switch never gets them. Applying them again is harmless.
     * Not the slow path's node rules: with them on the switch, a connection's second handoff fails
     * under ONOS (docs/status.md), so they stay as applied at configuration.
     */
    private final DeviceListener deviceListener = event -> {
        DeviceId d = this.device;
        if (d != null && this.fastPath.replacesSpliceRules() && event.subject().id().equals(d)
                && (event.type() == DeviceEvent.Type.DEVICE_ADDED
                || event.type() == DeviceEvent.Type.DEVICE_AVAILABILITY_CHANGED) && deviceService.isAvailable(d)) {
            flowRuleService.applyFlowRules(this.standingRules.toArray(new FlowRule[0]));
        }
    };
    private volatile Map<String, SpliceConfig.Node> nodesById = Map.of();
    private volatile Map<Integer, SpliceConfig.Node> nodesByIp = Map.of();
    private volatile long vipMac;
    private volatile int vip;
    private volatile NodeDistribution distribution = t -> NodeDistribution.NOT_DISTRIBUTED;
    private volatile List<TrafficSelector> intercepts = List.of();
    private volatile List<FlowRule> standingRules = List.of();
    /** Off (per-splice rules), or the switch-host agent's; replaced only under the programming lock. */
    private volatile FastPath fastPath = FastPath.OFF;
    /** The clock the teardown follows; tests replace it. */
    LongSupplier clock = System::currentTimeMillis;
    private ScheduledExecutorService sweeper;

    private final SpliceProcessor processor = new SpliceProcessor();
    /** The same counters, under the same names, as the standalone controller's GET /metrics. */
    private final SpliceCounters counters = new SpliceCounters();
    /**
     * Where each new connection's client sits (MAC, switch port), recorded at its SYN as the standalone
     * controller does: ONOS's hosts may not know the client (after a switch reconnect, or once its host
     * entry is gone), and a splice toward MAC 0 on port 0 would black-hole the connection.
     */
    private final Map<FourTuple, long[]> attachments = new ConcurrentHashMap<>();
    private final Map<FourTuple, List<FlowRule>> installed = new ConcurrentHashMap<>();
    private final ThreadLocal<TcpFrame> frames = ThreadLocal.withInitial(TcpFrame::new);
    private ApplicationId appId;
    private NodeConnections nodeConnections;
    private SpliceSwitch sw;
    private volatile DeviceId device;

    @Activate
    protected void activate() {
        appId = coreService.registerApplication(APP_NAME);
        nodeConnections = new NodeConnections(appId);
        flowRuleService.addListener(nodeConnections.expiry);
        // The distribution follows the configuration; the switch logic asks whichever is current.
        sw = new SpliceSwitch(t -> distribution.choose(t), TeardownPolicy.defaults(), () -> clock.getAsLong());
        for (String splice : store.all().values()) {
            SpliceText.restore(sw.tables(), splice);
        }
        packetService.addProcessor(processor, PROCESSOR_PRIORITY);
        configRegistry.registerConfigFactory(configFactory);
        configRegistry.addListener(configListener);
        deviceService.addListener(deviceListener);
        applyConfig();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tcpsplice-sweep"));
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        log.info("tcpsplice started as {} with {} splices from the store", appId, sw.tables().spliceCount());
    }

    @Deactivate
    protected void deactivate() {
        sweeper.shutdownNow();
        configRegistry.removeListener(configListener);
        deviceService.removeListener(deviceListener);
        configRegistry.unregisterConfigFactory(configFactory);
        intercepts.forEach(selector -> packetService.cancelPackets(selector, PacketPriority.REACTIVE, appId));
        intercepts = List.of();
        packetService.removeProcessor(processor);
        flowRuleService.removeListener(nodeConnections.expiry);
        flowRuleService.removeFlowRulesById(appId);
        standingRules = List.of();
        installed.clear();
        fastPath.close(); // the map keeps its entries: the fast path goes on translating, as the rules do not
        log.info("tcpsplice stopped; its flow rules are removed");
    }

    /** Removes closed (after their linger) and idle splices: tables, store and flow rules. */
    void sweep() {
        try {
            keepFastPathInStep();
            for (ExpiredSplice e : sw.onTimer(this::activeOnFastPath)) {
                removeEnded(e);
                // splice-core forgot the connection's node (SpliceSwitch.connectionEnded); its steering goes too
                DeviceId d = device;
                if (d != null) {
                    flowRuleService.removeFlowRules(FlowRules.connectionEnded(e.clientKey, d, appId));
                }
                log.info("splice {} ended ({})", e.clientKey, e.cause);
            }
        } catch (RuntimeException ex) {
            log.error("teardown sweep failed", ex);
        }
    }

    /**
     * Whether the fast path translated a packet of this splice within the idle timeout: those packets
     * never come here, so a splice that looks idle here may not be. Unknown counts as active.
     */
    private boolean activeOnFastPath(FourTuple clientKey) {
        synchronized (installed) {
            try {
                return fastPath.translatedWithin(clientKey, sw.teardownPolicy().idleTimeoutSeconds);
            } catch (java.io.IOException e) {
                log.warn("cannot ask the fast path whether {} is idle ({}); kept", clientKey, e.getMessage());
                return true;
            }
        }
    }

    /** The switch-host agent resynced when it restarted or missed a change (or has not been reached yet). */
    private void keepFastPathInStep() {
        synchronized (installed) {
            if (!(fastPath instanceof RemoteFastPath)) {
                return;
            }
            try {
                if (((RemoteFastPath) fastPath).keepInStep(sw.tables())) {
                    counters.count("fast_path_resyncs");
                    log.info("tcpsplice resynced the fast path ({} entries of {} splices)", fastPath.entries(),
                            sw.tables().spliceCount());
                }
            } catch (java.io.IOException e) {
                log.warn("the fast path is not in step ({}); tried again in a second", e.getMessage());
            }
        }
    }

    /** An ended splice out of the store, and its rules off the switch (or its entries out of the map). */
    private void removeEnded(ExpiredSplice e) {
        counters.count("splices_ended_" + e.cause);
        attachments.remove(e.clientKey);
        synchronized (installed) {
            store.remove(e.clientKey.toString());
            forgetOnSwitch(e.clientKey);
        }
    }

    /** A splice that left the tables: its rules removed, or its fast-path entries deleted. Under the lock. */
    private void forgetOnSwitch(FourTuple clientKey) {
        List<FlowRule> rules = installed.remove(clientKey);
        if (rules != null) {
            flowRuleService.removeFlowRules(rules.toArray(new FlowRule[0]));
        }
        syncFastPath(clientKey);
    }

    /** The map follows the tables for this splice; a failure leaves the resync to the sweep. Under the lock. */
    private void syncFastPath(FourTuple clientKey) {
        try {
            fastPath.sync(sw.tables(), clientKey);
        } catch (java.io.IOException e) {
            log.warn("the fast path missed a change of {} ({}); resynced once the agent answers", clientKey,
                    e.getMessage());
        }
    }

    /** Takes the device, the VIP's MAC and the nodes from the network configuration, if there is one. */
    private void applyConfig() {
        SpliceConfig config = configRegistry.getConfig(appId, SpliceConfig.class);
        String invalid = config == null ? "none given" : null;
        try {
            if (config != null && !config.isValid()) {
                invalid = "incomplete or malformed";
            }
        } catch (RuntimeException e) { // ONOS's field checks throw InvalidFieldException with the reason
            invalid = e.getMessage();
        }
        FastPath configuredFastPath = FastPath.OFF;
        if (invalid == null && config.fastPathAgent() != null) {
            SpliceConfig.FastPathAgent agent = config.fastPathAgent();
            try {
                configuredFastPath = new RemoteFastPath(agent.url,
                        FastPathSignature.fromFile(java.nio.file.Paths.get(agent.secretFile)));
            } catch (java.io.IOException | RuntimeException e) {
                invalid = "fastPathAgent's secret: " + e.getMessage();
            }
        }
        if (invalid != null) {
            log.info("tcpsplice waits for a valid '{}' network configuration ({})", SpliceConfig.KEY, invalid);
            return;
        }
        Map<String, SpliceConfig.Node> byId = new ConcurrentHashMap<>();
        Map<Integer, SpliceConfig.Node> byIp = new ConcurrentHashMap<>();
        for (SpliceConfig.Node n : config.nodes()) {
            byId.put(n.id, n);
            byIp.put(n.ip, n);
        }
        nodesById = byId;
        nodesByIp = byIp;
        vipMac = config.vipMac();
        vip = config.vip();
        device = config.device();
        List<Integer> ips = new ArrayList<>(byIp.keySet());
        java.util.Collections.sort(ips);
        distribution = new RoundRobinDistribution(vip, config.servicePort(), ips);
        intercepts.forEach(selector -> packetService.cancelPackets(selector, PacketPriority.REACTIVE, appId));
        intercepts = List.of(
                DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_ARP).matchArpTpa(Ip4Address.valueOf(vip)).build(),
                DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV4).matchIPDst(Ip4Prefix.valueOf(vip, 32))
                        .build());
        intercepts.forEach(selector -> packetService.requestPackets(selector, PacketPriority.REACTIVE, appId));
        flowRuleService.removeFlowRules(standingRules.toArray(new FlowRule[0]));
        standingRules = configuredFastPath.replacesSpliceRules()
                ? FastPathRules.standingRules(byId.values(), device, appId)
                : NodeConnections.standingRules(byId.values(), device, appId);
        flowRuleService.applyFlowRules(standingRules.toArray(new FlowRule[0]));
        useFastPath(configuredFastPath);
        programRestoredSplices();
        log.info("tcpsplice configured: device {}, {} nodes, fast path {}", device, byId.size(), fastPath);
    }

    /**
     * Switches between per-splice rules and the fast path. Every splice's rules come off when the fast
     * path takes over; the map gets every splice at once (or from the sweep, once the agent answers).
     */
    private void useFastPath(FastPath next) {
        synchronized (installed) {
            FastPath previous = fastPath;
            fastPath = next;
            previous.close();
            if (next.replacesSpliceRules()) {
                for (FourTuple clientKey : new ArrayList<>(installed.keySet())) {
                    flowRuleService.removeFlowRules(installed.remove(clientKey).toArray(new FlowRule[0]));
                }
            }
        }
        keepFastPathInStep();
    }

    /**
     * Splices restored from the distributed store (the app activated again, or another instance's) get
     * their rules once the device is known (with the fast path, the resync wrote them into its map); not
     * waited for, as ONOS keeps retrying flow operations. Their connections' way back to the client
     * comes back too: deactivation removed the app's flows, and with the fast path the client's
     * packets are forwarded by that flow. Where the client is attached is in the splice itself.
     */
    private void programRestoredSplices() {
        DeviceId d = device;
        int programmed = 0;
        synchronized (installed) {
            for (FourTuple clientKey : sw.tables().clientKeys()) {
                if (attachments.containsKey(clientKey)) {
                    continue; // this instance saw its SYN: its steering flows are on the switch
                }
                restoreWayBack(clientKey, d);
                if (fastPath.replacesSpliceRules() || installed.containsKey(clientKey)) {
                    continue;
                }
                List<FlowRule> rules = compiledRules(clientKey, d);
                installed.put(clientKey, rules);
                flowRuleService.applyFlowRules(rules.toArray(new FlowRule[0]));
                programmed++;
            }
        }
        if (programmed > 0) {
            log.info("tcpsplice programmed the rules of {} splices restored from the store", programmed);
        }
    }

    /** The client's attachment and its connection's flow toward it, from the splice's toward-client entry. */
    private void restoreWayBack(FourTuple clientKey, DeviceId d) {
        for (FourTuple key : sw.tables().level1Keys(clientKey)) {
            org.tcpsplice.core.map.Level2Entry e = sw.tables().level2Table(key);
            if (e != null && e.towardClient) {
                attachments.put(clientKey, new long[] {e.newDstMac(), e.outPort});
                flowRuleService.applyFlowRules(FlowRules.connection(clientKey.reversed(),
                        DefaultTrafficTreatment.builder().setOutput(PortNumber.portNumber(e.outPort)).build(), d, appId));
                return;
            }
        }
    }

    /**
     * A node's handoff, as the REST API receives it: the node is identified by its configured id; the
     * target by the new connection's address; the client's MAC and switch port come from its SYN (else
     * from ONOS's hosts).
     */
    public HandoffOutcome handoff(String nodeId, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection) {
        SpliceConfig.Node node = nodesById.get(nodeId);
        SpliceConfig.Node target = newConnection == null ? null : nodesByIp.get(newConnection.tuple.dstIp);
        if (node == null) {
            return HandoffOutcome.refusedBeforeLookup(HandoffRefusal.MALFORMED, nodeId + " is not a configured node");
        }
        if (target == null) {
            return HandoffOutcome.refusedBeforeLookup(HandoffRefusal.MALFORMED, "the new connection goes to "
                    + (newConnection == null ? "nowhere" : Ipv4.format(newConnection.tuple.dstIp))
                    + ", which is not a configured node");
        }
        long clientMac = 0;
        int clientPort = 0;
        if (clientSide != null) {
            long[] at = attachments.get(clientSide.tuple.reversed());
            if (at != null) {
                clientMac = at[0];
                clientPort = (int) at[1];
            } else {
                for (Host h : hostService.getHostsByIp(IpAddress.valueOf(clientSide.tuple.dstIp))) {
                    clientMac = h.mac().toLong();
                    clientPort = (int) h.location().port().toLong();
                }
            }
            // A first handoff of a connection this instance saw start (else splice-core refuses it as unknown).
            if (clientMac == 0 && sw.tables().level2Table(clientSide.tuple) == null
                    && sw.tables().level2Table(clientSide.tuple.reversed()) == null
                    && sw.owners().ownerIpOf(clientSide.tuple.reversed()) != ConnectionOwners.UNKNOWN) {
                counters.count("handoffs_refused_CLIENT_NOT_LOCATED");
                throw new ClientNotLocated("where the client " + Ipv4.format(clientSide.tuple.dstIp)
                        + " is attached is not known (its SYN came before this instance, and ONOS's hosts"
                        + " do not know it); nothing was changed");
            }
        }
        long start = System.nanoTime();
        HandoffOutcome out;
        try {
            out = handoff(new HandoffRequest(node.ip, clientSide, newConnection,
                    new DataPathAddresses(node.mac, target.mac, target.switchPort, clientMac, clientPort, vipMac)));
        } catch (SwitchNotConfirmed e) {
            counters.count("handoffs_unconfirmed");
            throw e;
        }
        if (!out.accepted()) {
            counters.count("handoffs_refused_" + out.refusal);
        } else {
            counters.count(out.kind == HandoffOutcome.Kind.APPLIED ? "handoffs_applied" : "handoffs_repeated");
            counters.handoffLatency(System.nanoTime() - start);
        }
        return out;
    }

    /** GET /metrics: the standalone controller's gauges that apply here, and the shared counters. */
    public Map<String, Object> metrics() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        DeviceId d = device;
        m.put("switch_connected", d != null && deviceService.isAvailable(d));
        m.put("splices", sw.tables().spliceCount());
        m.put("level1_keys", sw.tables().level1Size());
        m.put("connections_steered", attachments.size());
        m.put("fast_path", fastPath.toString());
        m.put("fast_path_entries", fastPath.entries());
        m.putAll(counters.snapshot());
        return m;
    }

    /** Records which node serves a new client connection (the VIP front end does this at its SYN). */
    public void recordOwner(FourTuple clientToService, int nodeIp) {
        sw.owners().record(clientToService, nodeIp);
    }

    /** A first handoff whose client's MAC and switch port are unknown: refused, nothing changed (REST: 503). */
    public static final class ClientNotLocated extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientNotLocated(String message) {
            super(message);
        }
    }

    /** The switch did not confirm a handoff's rules (the message says what happened); the handoff was undone. */
    public static final class SwitchNotConfirmed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SwitchNotConfirmed(String message) {
            super(message);
        }
    }

    /**
     * Applies a handoff and returns once the switch has confirmed its rules, so the node may let go of
     * its sockets; if the switch does not confirm, the handoff is undone and {@link SwitchNotConfirmed}
     * is thrown.
     */
    public HandoffOutcome handoff(HandoffRequest request) {
        synchronized (installed) {
            FourTuple candidate = request.clientSide == null ? null : sw.tables().clientKeyOf(request.clientSide.tuple);
            Map<FourTuple, org.tcpsplice.core.map.Level2Entry> before =
                    candidate == null ? Map.of() : sw.tables().capture(candidate);
            List<FlowRule> rulesBefore = candidate == null ? null : installed.get(candidate);
            HandoffOutcome out = sw.onHandoff(request);
            if (out.kind != HandoffOutcome.Kind.APPLIED) {
                return out;
            }
            store.put(out.clientKey.toString(), SpliceText.format(sw.tables(), out.clientKey));
            boolean onFastPath = fastPath.replacesSpliceRules();
            String failure = onFastPath ? writeFastPath(out.clientKey) : applyRules(out.clientKey);
            if (failure != null) {
                sw.tables().putBack(out.clientKey, before);
                if (before.isEmpty()) {
                    store.remove(out.clientKey.toString());
                } else {
                    store.put(out.clientKey.toString(), SpliceText.format(sw.tables(), out.clientKey));
                }
                if (onFastPath) {
                    syncFastPath(out.clientKey); // back to the entries before (or the sweep's resync does it)
                } else {
                    List<FlowRule> attempted = rulesBefore == null ? installed.remove(out.clientKey)
                            : installed.put(out.clientKey, rulesBefore);
                    undoRules(attempted, rulesBefore == null ? List.of() : rulesBefore);
                }
                throw new SwitchNotConfirmed(failure);
            }
            return out;
        }
    }

    /** Removes a splice, its rules and its store entry; false if there was none. */
    public boolean removeSplice(FourTuple clientKey) {
        synchronized (installed) {
            if (!sw.tables().removeSplice(clientKey)) {
                return false;
            }
            store.remove(clientKey.toString());
            forgetOnSwitch(clientKey);
            counters.count("splices_removed_by_api");
            return true;
        }
    }

    /** The mapping tables, for read-only views (REST). */
    public org.tcpsplice.core.map.SpliceTables tables() {
        return sw.tables();
    }

    /** Whether this id names a configured node (ONOS users with such a name may hand off). */
    public boolean isNode(String id) {
        return nodesById.containsKey(id);
    }

    public List<FourTuple> splices() {
        return sw.tables().clientKeys();
    }

    public String spliceText(FourTuple clientKey) {
        return sw.tables().level2Table(clientKey) == null ? null : SpliceText.format(sw.tables(), clientKey);
    }

    /** The splice's switch rules (splice-core's rule compiler) as ONOS flow rules for device d. */
    private List<FlowRule> compiledRules(FourTuple clientKey, DeviceId d) {
        List<FlowRule> rules = new ArrayList<>();
        for (SwitchRule r : RuleCompiler.compile(sw.tables(), clientKey)) {
            rules.add(FlowRules.of(r, d, appId));
        }
        return rules;
    }

    /** Writes the splice's entries through the switch-host agent, which answers once they are in the map. */
    private String writeFastPath(FourTuple clientKey) {
        try {
            fastPath.sync(sw.tables(), clientKey);
            return null;
        } catch (java.io.IOException e) {
            return e.getMessage();
        }
    }

    /** Installs the splice's rules and waits for the switch; null when confirmed, else why not. */
    private String applyRules(FourTuple clientKey) {
        DeviceId d = device;
        if (d == null) {
            return "no device configured (network configuration '" + SpliceConfig.KEY + "')";
        }
        List<FlowRule> rules = compiledRules(clientKey, d);
        List<FlowRule> old = installed.put(clientKey, rules);
        FlowRuleOperations.Builder ops = FlowRuleOperations.builder();
        if (old != null) {
            old.stream().filter(r -> !rules.contains(r)).forEach(ops::remove);
            ops.newStage();
        }
        rules.forEach(ops::add);
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        flowRuleService.apply(ops.build(new FlowRuleOperationsContext() {
            @Override
            public void onSuccess(FlowRuleOperations done) {
                confirmed.complete(null);
            }

            @Override
            public void onError(FlowRuleOperations failed) {
                confirmed.completeExceptionally(new IllegalStateException("it refused them"));
            }
        }));
        try {
            confirmed.get(CONFIRM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "no answer within " + CONFIRM_TIMEOUT_MS + " ms";
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Asks the switch to go back from the rules of a handoff it did not confirm to the ones before it.
     * Not waited for: the handoff has failed already, and ONOS keeps retrying flow operations itself.
     */
    private void undoRules(List<FlowRule> attempted, List<FlowRule> before) {
        if (attempted == null) {
            return;
        }
        FlowRuleOperations.Builder ops = FlowRuleOperations.builder();
        attempted.stream().filter(r -> !before.contains(r)).forEach(ops::remove);
        ops.newStage();
        before.stream().filter(r -> !attempted.contains(r)).forEach(ops::add);
        flowRuleService.apply(ops.build());
    }

    /** Fig. 5 for punted packets: translate and emit, drop strays, leave everything else to other apps. */
    private final class SpliceProcessor implements PacketProcessor {
        @Override
        public void process(PacketContext context) {
            if (context.isHandled() || context.inPacket().unparsed() == null) {
                return;
            }
            ByteBuffer in = context.inPacket().unparsed().duplicate();
            byte[] arrived = new byte[in.remaining()];
            in.get(arrived);
            // The fast path's punt tag: the frame as it arrived, untagged (only the program tags, see PuntTag).
            boolean tagged = PuntTag.on(arrived, arrived.length);
            byte[] frame = tagged ? PuntTag.stripped(arrived) : arrived;
            ConnectPoint from = context.inPacket().receivedFrom();
            byte[] arp = ArpResponder.replyFor(frame, vip, vipMac);
            if (arp != null) {
                counters.count("packet_in");
                counters.count("arp_replies");
                emit(from.deviceId(), DefaultTrafficTreatment.builder().setOutput(from.port()).build(), arp);
                context.block();
                return;
            }
            TcpFrame parsed = frames.get();
            PacketVerdict v = sw.onPacket(frame, 0, frame.length, parsed);
            if (!tagged && !concernsSplicing(v, parsed)) {
                return; // ONOS's own (LLDP) or another app's packet-in (fwd's first packets): theirs to handle
            }
            counters.count("packet_in");
            if (tagged) {
                counters.count("packet_in_from_fast_path");
            }
            counters.verdict(v);
            switch (v.kind) {
                case NEW_CONNECTION:
                    if (v.endedSplice != null) {
                        // The client's new SYN on a closed splice's tuple ended it inside the linger; the
                        // new connection's steering flows replace the old ones.
                        removeEnded(v.endedSplice);
                        log.info("splice {} ended ({})", v.endedSplice.clientKey, v.endedSplice.cause);
                    }
                    steerNewConnection(from, parsed, frame, v.nodeIp);
                    counters.count(v.repeatedSyn ? "syns_repeated" : "new_connections");
                    context.block();
                    break;
                case FORWARD_UNCHANGED:
                    if (parsed.dstIp() == vip) {
                        steerStray(from, parsed, frame, context);
                    } else if (tagged) {
                        switchNormally(from.deviceId(), frame, context);
                    } else if (nodesByIp.containsKey(parsed.srcIp())) {
                        forwardFromNode(from, parsed, v, context);
                    }
                    break;
                case TRANSLATED:
                    emit(from.deviceId(), DefaultTrafficTreatment.builder()
                            .setOutput(PortNumber.portNumber(v.outPort)).build(), frame);
                    if (!v.decision.newestRange) {
                        counters.count("translated_older_range"); // Fig. 5: an earlier node's range
                    }
                    if (v.forwarderAck != null) {
                        copyAckToForwarder(from.deviceId(), v.forwarderAck);
                    }
                    context.block();
                    break;
                case DROP:
                    context.block();
                    break;
                default:
                    if (tagged) {
                        switchNormally(from.deviceId(), frame, context);
                    }
                    // Else not IPv4/TCP as spliced here: forwarded as usual by whoever forwards it.
            }
        }

        /** An untagged frame out as the switch would forward it (the tagged original would come back here). */
        private void switchNormally(DeviceId d, byte[] frame, PacketContext context) {
            emit(d, NodeConnections.forwarding(), frame);
            context.block();
        }

        /**
         * Whether a packet-in is this app's: a spliced or new connection, one to the VIP, or a node's TCP
         * (its standing rule). The counters count these alone, as the standalone controller's count what
         * its own rules send it; under ONOS every app's packet-ins pass every processor.
         */
        private boolean concernsSplicing(PacketVerdict v, TcpFrame f) {
            switch (v.kind) {
                case FORWARD_UNCHANGED:
                    // A node's TCP comes here by the slow path's standing rule; with the fast path, by
                    // another app's request (fwd's), so it is that app's.
                    return f.dstIp() == vip || (!fastPath.replacesSpliceRules() && nodesByIp.containsKey(f.srcIp()));
                case NOT_PARSED:
                    return false;
                default:
                    return true;
            }
        }

        /** Patent Fig. 4, 433-435: two flows steer the connection to its node; the SYN goes there now. */
        private void steerNewConnection(ConnectPoint from, TcpFrame syn, byte[] frame, int nodeIp) {
            SpliceConfig.Node node = nodesByIp.get(nodeIp);
            FourTuple connection = new FourTuple(syn.srcIp(), syn.srcPort(), syn.dstIp(), syn.dstPort());
            attachments.put(connection, new long[] {syn.srcMac(), from.port().toLong()});
            TrafficTreatment toNode = toNode(node);
            // The SYN goes on once the switch holds both flows: sent at once, it raced them (ONOS installs
            // flows and sends packets on separate paths), and the node's SYN-ACK came back here.
            DeviceId d = from.deviceId();
            FlowRuleOperations ops = FlowRuleOperations.builder()
                    .add(FlowRules.connection(connection, toNode, d, appId))
                    .add(FlowRules.connection(connection.reversed(),
                            DefaultTrafficTreatment.builder().setOutput(from.port()).build(), d, appId))
                    .build(new FlowRuleOperationsContext() {
                        @Override
                        public void onSuccess(FlowRuleOperations done) {
                            emitToNode(d, node, frame);
                        }

                        @Override
                        public void onError(FlowRuleOperations failed) {
                            log.warn("the switch refused the steering flows of {}; its SYN goes on without them",
                                    connection);
                            emitToNode(d, node, frame);
                        }
                    });
            flowRuleService.apply(ops);
        }

        /**
         * The target's acknowledgement of the request the forwarding node sent on its new connection,
         * untranslated, to that node, whose kernel would otherwise retransmit the request (docs/handoff-race.md). splice-core says when and how often ({@link PacketVerdict#forwarderAck}).
         */
        private void copyAckToForwarder(DeviceId d, byte[] ackOnly) {
            SpliceConfig.Node forwarder = nodesByIp.get(PureAck.dstIp(ackOnly));
            if (forwarder != null) {
                emit(d, DefaultTrafficTreatment.builder().setOutput(PortNumber.portNumber(forwarder.switchPort)).build(),
                        ackOnly);
                counters.count("acks_copied_to_forwarder");
            }
        }

        /** A packet to the VIP without a flow (the handshake racing its flows): to its connection's node. */
        private void steerStray(ConnectPoint from, TcpFrame f, byte[] frame, PacketContext context) {
            SpliceConfig.Node node = nodesByIp.get(sw.owners().ownerIpOf(new FourTuple(f.srcIp(), f.srcPort(), f.dstIp(),
                    f.dstPort())));
            if (node != null) {
                emitToNode(from.deviceId(), node, frame);
            } else {
                counters.count("dropped_unknown_connection");
            }
            context.block();
        }

        /**
         * TCP from a node outside any splice's rules, which its standing rule sent here (NodeConnections):
         * on as the switch would forward it; a connection that carries payload outside any splice gets a
         * flow of its own, so only its first packets come here.
         */
        private void forwardFromNode(ConnectPoint from, TcpFrame f, PacketVerdict v, PacketContext context) {
            context.treatmentBuilder().addTreatment(NodeConnections.forwarding());
            context.send();
            FlowRule flow = v.decision == null ? null
                    : nodeConnections.flowFor(f, v.decision.reason, from.deviceId(), appId);
            if (flow != null) {
                flowRuleService.applyFlowRules(flow);
                counters.count("node_connection_flows");
            }
        }

        /**
         * A frame for the VIP out to a node, with the node's MAC written into the frame itself: ONOS's
         * OpenFlow packet provider applies only the OUTPUT instructions of a packet-out's treatment, so a
         * setEthDst there would be dropped and the node would discard a frame for the VIP's MAC (every
         * new connection then waited for the SYN's retransmission, 1 s).
         */
        private void emitToNode(DeviceId d, SpliceConfig.Node node, byte[] frame) {
            byte[] out = frame.clone();
            for (int i = 0; i < 6; i++) {
                out[i] = (byte) (node.mac >>> (40 - 8 * i));
            }
            emit(d, DefaultTrafficTreatment.builder().setOutput(PortNumber.portNumber(node.switchPort)).build(), out);
        }

        /** To a node, for its steering flow: its MAC (the VIP's frames carry the VIP's MAC) and its switch port. */
        private TrafficTreatment toNode(SpliceConfig.Node node) {
            return DefaultTrafficTreatment.builder().setEthDst(org.onlab.packet.MacAddress.valueOf(node.mac))
                    .setOutput(PortNumber.portNumber(node.switchPort)).build();
        }

        private void emit(DeviceId d, TrafficTreatment treatment, byte[] frame) {
            packetService.emit(new DefaultOutboundPacket(d, treatment, ByteBuffer.wrap(frame)));
        }
    }
}
