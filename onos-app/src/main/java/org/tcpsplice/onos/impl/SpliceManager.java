package org.tcpsplice.onos.impl;

import static org.tcpsplice.onos.impl.OsgiPropertyConstants.CLOSE_LINGER;
import static org.tcpsplice.onos.impl.OsgiPropertyConstants.CLOSE_LINGER_DEFAULT;
import static org.tcpsplice.onos.impl.OsgiPropertyConstants.CONFIRM_TIMEOUT;
import static org.tcpsplice.onos.impl.OsgiPropertyConstants.CONFIRM_TIMEOUT_DEFAULT;
import static org.tcpsplice.onos.impl.OsgiPropertyConstants.CONNECTION_IDLE;
import static org.tcpsplice.onos.impl.OsgiPropertyConstants.CONNECTION_IDLE_DEFAULT;
import static org.tcpsplice.onos.impl.OsgiPropertyConstants.IDLE_TIMEOUT;
import static org.tcpsplice.onos.impl.OsgiPropertyConstants.IDLE_TIMEOUT_DEFAULT;
import static org.tcpsplice.onos.impl.OsgiPropertyConstants.POLICY;
import static org.tcpsplice.onos.impl.OsgiPropertyConstants.POLICY_DEFAULT;

import java.nio.ByteBuffer;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.onlab.packet.Ethernet;
import org.onlab.packet.Ip4Address;
import org.onlab.packet.Ip4Prefix;
import org.onlab.packet.IpAddress;
import org.onlab.metrics.MetricsService;
import org.onlab.util.Tools;
import org.onosproject.cfg.ComponentConfigService;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.onosproject.mastership.MastershipService;
import org.onosproject.net.DeviceId;
import org.onosproject.net.Host;
import org.onosproject.net.config.ConfigFactory;
import org.onosproject.net.config.NetworkConfigEvent;
import org.onosproject.net.config.NetworkConfigListener;
import org.onosproject.net.config.NetworkConfigRegistry;
import org.onosproject.net.config.basics.SubjectFactories;
import org.onosproject.net.device.DeviceEvent;
import org.onosproject.net.device.DeviceListener;
import org.onosproject.net.device.DeviceService;
import org.onosproject.net.flow.DefaultTrafficSelector;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.FlowRuleService;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.host.HostService;
import org.onosproject.net.packet.PacketContext;
import org.onosproject.net.packet.PacketPriority;
import org.onosproject.net.packet.PacketProcessor;
import org.onosproject.net.packet.PacketService;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpsplice.api.EngineSpliceService;
import org.tcpsplice.api.Slf4jEngineLog;
import org.tcpsplice.api.json.SpliceJson;
import org.tcpsplice.core.engine.Service;
import org.tcpsplice.core.engine.SpliceEngine;
import org.tcpsplice.core.fastpath.FastPath;
import org.tcpsplice.core.fastpath.FastPathSignature;
import org.tcpsplice.core.fastpath.RemoteFastPath;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.map.SpliceText;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.teardown.TeardownPolicy;
import org.tcpsplice.onos.api.SpliceConfig;
import org.tcpsplice.onos.api.SpliceStore;
import org.tcpsplice.onos.api.TcpSpliceService;

/**
 * The tcpsplice app: splice-core's {@link SpliceEngine} on ONOS's services. The network configuration
 * ({@link SpliceConfig}) names the device, the VIP, the nodes and, optionally, the switch-host agent
 * of the XDP fast path; the component properties ({@link OsgiPropertyConstants}) set the policy and
 * the timers. The engine's switch requests become flow rules ({@link OnosSwitchProgram}), its packets
 * ONOS packet-outs ({@link OnosPacketIn}), its records entries of the distributed store
 * ({@link StoreRecords}), and ONOS's hosts locate clients whose SYN this instance did not see.
 *
 * <p>Only the device's master instance handles its packet-ins, programs it and sweeps; the other
 * instances' tables follow the distributed store. The engine's counters are also ONOS metrics
 * ({@link OnosMetrics}).
 */
@Component(immediate = true, service = TcpSpliceService.class,
        property = {
            POLICY + "=" + POLICY_DEFAULT,
            IDLE_TIMEOUT + ":Integer=" + IDLE_TIMEOUT_DEFAULT,
            CLOSE_LINGER + ":Integer=" + CLOSE_LINGER_DEFAULT,
            CONNECTION_IDLE + ":Integer=" + CONNECTION_IDLE_DEFAULT,
            CONFIRM_TIMEOUT + ":Integer=" + CONFIRM_TIMEOUT_DEFAULT
        })
public class SpliceManager implements TcpSpliceService {
    public static final String APP_NAME = "org.tcpsplice.app";
    /** Ahead of reactive forwarding: spliced packets must not be forwarded untranslated. */
    static final int PROCESSOR_PRIORITY = PacketProcessor.director(1);
    /** How long deactivation waits for the switch to confirm its rules' removal (see AppFlowsRemoval). */
    static final long FLOWS_REMOVAL_WAIT_MILLIS = 10_000;
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

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected MastershipService mastershipService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected ComponentConfigService cfgService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected MetricsService metricsService;

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
     * The standing rules again whenever the device (re)connects: applied while no instance was its
     * master (the app configured before the switch connected, or the switch reconnecting for its
     * driver), ONOS fails the batch and the switch never gets them. Applying them again is harmless.
     */
    private final DeviceListener deviceListener = event -> {
        DeviceId d = this.device;
        if (d != null && event.subject().id().equals(d)
                && (event.type() == DeviceEvent.Type.DEVICE_ADDED
                || event.type() == DeviceEvent.Type.DEVICE_AVAILABILITY_CHANGED) && deviceService.isAvailable(d)) {
            flowRuleService.applyFlowRules(this.standingRules.toArray(new FlowRule[0]));
        }
    };
    private final PacketProcessor processor = this::process;
    private final SpliceStore.Listener storeListener = this::recordedElsewhere;
    private volatile List<TrafficSelector> intercepts = List.of();
    private volatile List<FlowRule> standingRules = List.of();
    private volatile SpliceConfig.FastPathAgent fastPathAgent;
    /** New connections go to the nodes in turn (round-robin) or to the one with the fewest (least-connections). */
    private String policy = POLICY_DEFAULT;

    /** Splices idle this long end (the patent's TCP_WAIT), in seconds. */
    private int idleTimeoutSeconds = IDLE_TIMEOUT_DEFAULT;

    /** A closed splice's entries stay this long for late FINs and ACKs, in seconds. */
    private int closeLingerSeconds = CLOSE_LINGER_DEFAULT;

    /** Idle timeout of a new connection's steering flows, in seconds. */
    private int connectionIdleSeconds = CONNECTION_IDLE_DEFAULT;

    /** How long a handoff waits for the switch to confirm its rules before it is undone, in milliseconds. */
    private int confirmTimeoutMillis = CONFIRM_TIMEOUT_DEFAULT;
    /** The clock the teardown follows; tests replace it. */
    LongSupplier clock = System::currentTimeMillis;
    private ScheduledExecutorService sweeper;
    private ApplicationId appId;
    private SpliceEngine engine;
    private EngineSpliceService api;
    private ConnectionFlowsExpiry expiry;
    private OnosMetrics onosMetrics;
    private volatile DeviceId device;

    @Activate
    protected void activate(ComponentContext context) {
        appId = coreService.registerApplication(APP_NAME);
        cfgService.registerProperties(getClass());
        readComponentConfiguration(context);
        OnosSwitchProgram program = new OnosSwitchProgram(flowRuleService, deviceService, mastershipService, appId,
                () -> device);
        engine = new SpliceEngine(service(null), program, new StoreRecords(store), FastPath.OFF, this::locateClient,
                () -> clock.getAsLong(), new Slf4jEngineLog(log));
        api = new EngineSpliceService(engine);
        onosMetrics = new OnosMetrics(metricsService, engine::metrics);
        for (String splice : store.all().values()) {
            SpliceText.restore(engine.tables(), splice);
        }
        store.addListener(storeListener);
        expiry = new ConnectionFlowsExpiry(appId, engine);
        flowRuleService.addListener(expiry);
        packetService.addProcessor(processor, PROCESSOR_PRIORITY);
        configRegistry.registerConfigFactory(configFactory);
        configRegistry.addListener(configListener);
        deviceService.addListener(deviceListener);
        applyConfig();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tcpsplice-sweep"));
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        log.info("tcpsplice started as {} with {} splices from the store", appId, engine.tables().spliceCount());
    }

    @Modified
    protected void modified(ComponentContext context) {
        readComponentConfiguration(context);
        applyConfig();
    }

    /** The component properties; a value that cannot be read keeps the current one. */
    private synchronized void readComponentConfiguration(ComponentContext context) {
        Dictionary<?, ?> p = context == null ? null : context.getProperties();
        if (p == null) {
            return;
        }
        String named = Tools.get(p, POLICY);
        policy = named == null ? policy : named;
        idleTimeoutSeconds = Tools.getIntegerProperty(p, IDLE_TIMEOUT, idleTimeoutSeconds);
        closeLingerSeconds = Tools.getIntegerProperty(p, CLOSE_LINGER, closeLingerSeconds);
        connectionIdleSeconds = Tools.getIntegerProperty(p, CONNECTION_IDLE, connectionIdleSeconds);
        confirmTimeoutMillis = Tools.getIntegerProperty(p, CONFIRM_TIMEOUT, confirmTimeoutMillis);
    }

    @Deactivate
    protected void deactivate() {
        sweeper.shutdownNow();
        cfgService.unregisterProperties(getClass(), false);
        configRegistry.removeListener(configListener);
        deviceService.removeListener(deviceListener);
        configRegistry.unregisterConfigFactory(configFactory);
        store.removeListener(storeListener);
        intercepts.forEach(selector -> packetService.cancelPackets(selector, PacketPriority.REACTIVE, appId));
        intercepts = List.of();
        packetService.removeProcessor(processor);
        flowRuleService.removeListener(expiry);
        standingRules = List.of();
        onosMetrics.close();
        try {
            int left = AppFlowsRemoval.removeAndWait(flowRuleService, appId, FLOWS_REMOVAL_WAIT_MILLIS);
            if (left > 0) {
                log.warn("tcpsplice: {} of its flow rules not yet confirmed removed after {} ms", left,
                        FLOWS_REMOVAL_WAIT_MILLIS);
            }
            engine.close(); // the map keeps its entries: the fast path goes on translating, as the rules do not
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("tcpsplice stopped; its flow rules are removed");
    }

    /** Fig. 4, 405-410, on the device's master only (the others' tables follow the store). */
    void sweep() {
        try {
            DeviceId d = device;
            if (d != null && mastershipService.isLocalMaster(d)) {
                engine.sweep();
            }
            onosMetrics.refresh();
        } catch (Throwable ex) { // anything escaping would cancel every later sweep, silently
            log.error("teardown sweep failed", ex);
        }
    }

    /** Punted packets for the engine; what is not its (LLDP, another app's packet-ins) is left to others. */
    private void process(PacketContext context) {
        if (context.isHandled() || context.inPacket().unparsed() == null
                || !mastershipService.isLocalMaster(context.inPacket().receivedFrom().deviceId())) {
            return;
        }
        ByteBuffer in = context.inPacket().unparsed().duplicate();
        byte[] arrived = new byte[in.remaining()];
        in.get(arrived);
        if (engine.onPacketIn(arrived, new OnosPacketIn(context, packetService, arrived))) {
            context.block();
        }
    }

    /** A splice another instance recorded (or removed): this instance's tables follow, unless it is the writer. */
    private void recordedElsewhere(String clientKey, String splice) {
        DeviceId d = device;
        if (d != null && mastershipService.isLocalMaster(d)) {
            return; // the master writes the store; its own tables are ahead of the events
        }
        FourTuple key = FourTuple.parse(clientKey);
        if (splice == null) {
            engine.tables().removeSplice(key);
        } else {
            SpliceText.restore(engine.tables(), splice);
        }
    }

    /** The client's {MAC, switch port} from ONOS's hosts, for a first handoff whose SYN this instance did not see. */
    private long[] locateClient(int clientIp) {
        for (Host h : hostService.getHostsByIp(IpAddress.valueOf(clientIp))) {
            return new long[] {h.mac().toLong(), h.location().port().toLong()};
        }
        return null;
    }

    // ---------------------------------------------------------------- configuration

    /** The engine's service from the network configuration (null: none yet) and the component properties. */
    private synchronized Service service(SpliceConfig config) {
        TeardownPolicy teardown = new TeardownPolicy(idleTimeoutSeconds, closeLingerSeconds);
        return config == null
                ? new Service(0, 0, 0, List.of(), policy, teardown, connectionIdleSeconds, confirmTimeoutMillis)
                : new Service(config.vip(), config.servicePort(), config.vipMac(), config.nodes(), policy, teardown,
                connectionIdleSeconds, confirmTimeoutMillis);
    }

    /**
     * The network configuration and the component properties into the engine, if both are valid: the
     * VIP's packets requested, the standing rules, the fast path, and the rules of splices restored from
     * the store.
     */
    private synchronized void applyConfig() {
        SpliceConfig config = configRegistry.getConfig(appId, SpliceConfig.class);
        String invalid = config == null ? "none given" : null;
        Service svc = null;
        FastPath fastPath = FastPath.OFF;
        try {
            if (config != null && !config.isValid()) {
                invalid = "incomplete or malformed";
            }
            if (invalid == null) {
                svc = service(config);
                SpliceConfig.FastPathAgent agent = config.fastPathAgent();
                if (agent != null) {
                    fastPath = new RemoteFastPath(agent.url, FastPathSignature.fromFile(java.nio.file.Paths.get(agent.secretFile)));
                }
            }
        } catch (java.io.IOException | RuntimeException e) { // ONOS's field checks throw with the reason
            invalid = e.getMessage();
        }
        if (invalid != null) {
            log.info("tcpsplice waits for a valid '{}' network configuration and component properties ({})",
                    SpliceConfig.KEY, invalid);
            return;
        }
        engine.configure(svc);
        device = config.device();
        // Only what is no longer wanted is taken back: ONOS may run a removal and an add of the same
        // rule in either order (see AppFlowsRemoval), and an add of what is there already changes nothing.
        List<TrafficSelector> nextIntercepts = List.of(
                DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_ARP).matchArpTpa(Ip4Address.valueOf(svc.vip))
                        .build(),
                DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV4).matchIPDst(Ip4Prefix.valueOf(svc.vip, 32))
                        .build());
        intercepts.stream().filter(selector -> !nextIntercepts.contains(selector))
                .forEach(selector -> packetService.cancelPackets(selector, PacketPriority.REACTIVE, appId));
        nextIntercepts.forEach(selector -> packetService.requestPackets(selector, PacketPriority.REACTIVE, appId));
        intercepts = nextIntercepts;
        List<FlowRule> nextRules = fastPath.replacesSpliceRules()
                ? FastPathRules.standingRules(svc.nodes, device, appId)
                : NodeConnections.standingRules(svc.nodes, device, appId);
        flowRuleService.removeFlowRules(standingRules.stream().filter(r -> !nextRules.contains(r)).toArray(FlowRule[]::new));
        standingRules = nextRules;
        flowRuleService.applyFlowRules(standingRules.toArray(new FlowRule[0]));
        SpliceConfig.FastPathAgent agent = config.fastPathAgent();
        if (!sameAgent(agent, fastPathAgent)) {
            useFastPath(fastPath);
            fastPathAgent = agent;
        }
        int restored = engine.programRestored();
        if (restored > 0) {
            log.info("tcpsplice programmed the rules of {} splices restored from the store", restored);
        }
        log.info("tcpsplice configured: device {}, {} nodes, policy {}, fast path {}", device, svc.nodes.size(),
                svc.policy, engine.fastPath());
    }

    private void useFastPath(FastPath next) {
        try {
            engine.useFastPath(next);
        } catch (java.io.IOException e) { // only a local map is written at once; a remote one by the sweep
            log.warn("tcpsplice: the fast path's map could not be written ({})", e.getMessage());
        }
    }

    private static boolean sameAgent(SpliceConfig.FastPathAgent a, SpliceConfig.FastPathAgent b) {
        return a == null ? b == null : b != null && a.url.equals(b.url) && a.secretFile.equals(b.secretFile);
    }

    // ---------------------------------------------------------------- TcpSpliceService

    @Override
    public CompletableFuture<HandoffResult> handoffAsync(String nodeId, ConnectionSnapshot clientSide,
                                                         ConnectionSnapshot newConnection) {
        return api.handoffAsync(nodeId, clientSide, newConnection);
    }

    @Override
    public HandoffResult handoff(String nodeId, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection) {
        return api.handoff(nodeId, clientSide, newConnection);
    }

    @Override
    public List<SpliceJson> splices() {
        return api.splices();
    }

    @Override
    public SpliceJson splice(FourTuple clientKey) {
        return api.splice(clientKey);
    }

    @Override
    public boolean spliced(FourTuple connection) {
        return api.spliced(connection);
    }

    @Override
    public boolean removeSplice(FourTuple clientKey) {
        return api.removeSplice(clientKey);
    }

    @Override
    public Map<String, Object> metrics() {
        return api.metrics();
    }

    @Override
    public boolean isNode(String userName) {
        return engine.service().byId(userName) != null;
    }

    @Override
    public List<FourTuple> clientKeys() {
        return engine.tables().clientKeys();
    }

    @Override
    public String spliceText(FourTuple clientKey) {
        return engine.tables().level2Table(clientKey) == null ? null : SpliceText.format(engine.tables(), clientKey);
    }

    /** The engine, for tests and the app's own fixtures. */
    SpliceEngine engine() {
        return engine;
    }
}
