package org.tcpsplice.controller;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpsplice.api.web.BodyLimitFilter;
import org.tcpsplice.api.web.NodeCredentials;
import org.tcpsplice.controller.config.ControllerConfig;
import org.tcpsplice.core.fastpath.FastPath;
import org.tcpsplice.controller.fastpath.XdpFastPath;
import org.tcpsplice.controller.openflow.OpenFlowServer;
import org.tcpsplice.controller.rest.RestServer;
import org.tcpsplice.controller.store.JournalRecords;
import org.tcpsplice.controller.store.SpliceJournal;
import org.tcpsplice.api.EngineSpliceService;
import org.tcpsplice.api.Slf4jEngineLog;
import org.tcpsplice.core.engine.ClientLocator;
import org.tcpsplice.core.engine.Node;
import org.tcpsplice.core.engine.Service;
import org.tcpsplice.core.engine.SpliceEngine;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.net.MacAddress;
import org.tcpsplice.core.teardown.TeardownPolicy;

/**
 * Starts the standalone controller: {@code controller --config FILE}. OpenFlow on the configured
 * address (6653), the REST API under {@code http://<rest>/tcpsplice/v1/}, the teardown sweep every second.
 */
public final class ControllerMain {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerMain.class);
    public static final String API_PATH = "/tcpsplice/v1/";
    /** How long a handoff waits for the switch's barrier before it is undone. */
    static final long BARRIER_TIMEOUT_MS = 5000;

    private ControllerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--config")) {
            System.err.println("usage: controller --config FILE   (the file's fields: see docs/configuration.md)");
            System.exit(2);
        }
        Path file = Paths.get(args[1]);
        if (!Files.isReadable(file)) {
            System.err.println("controller: cannot read config file " + file);
            System.exit(2);
        }
        ControllerConfig config;
        try {
            config = ControllerConfig.load(file);
        } catch (Exception e) {
            System.err.println("controller: bad config " + file + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            start(config);
        } catch (Exception e) {
            // Netty's threads would keep a half-started controller alive: stop the process instead.
            LOG.error("controller: could not start: {}", e.toString());
            System.exit(1);
        }
    }

    /** A running controller; {@link #close} stops everything. */
    public static final class Running implements AutoCloseable {
        public final OpenFlowServer openflow;
        public final HttpServer rest;
        final SpliceEngine engine;
        private final ScheduledExecutorService timer;
        private final SpliceJournal journal;

        Running(OpenFlowServer openflow, HttpServer rest, SpliceEngine engine, ScheduledExecutorService timer,
                SpliceJournal journal) {
            this.openflow = openflow;
            this.rest = rest;
            this.engine = engine;
            this.timer = timer;
            this.journal = journal;
        }

        @Override
        public void close() throws Exception {
            rest.stop(0);
            openflow.close();
            timer.shutdownNow();
            engine.close(); // commits what is pending, closes the fast path
            journal.close();
        }
    }

    /** The fast path if one is configured and its map can be opened; otherwise the slow path only, said once. */
    private static FastPath openFastPath(String pinnedMap) {
        if (pinnedMap == null || pinnedMap.isEmpty()) {
            return FastPath.OFF;
        }
        try {
            return XdpFastPath.open(pinnedMap);
        } catch (IOException | LinkageError e) {
            LOG.warn("fast path: cannot open the XDP map {} ({}); running on the slow path only"
                    + " (load it with dataplane/xdp-offload.sh load)", pinnedMap, e.getMessage());
            return FastPath.OFF;
        }
    }

    /** The configuration as splice-core's engine takes it. */
    static Service service(ControllerConfig config) {
        List<Node> nodes = new ArrayList<>();
        for (ControllerConfig.Node n : config.nodes) {
            nodes.add(new Node(n.id, Ipv4.parse(n.ip), MacAddress.parse(n.mac), n.switchPort));
        }
        return new Service(Ipv4.parse(config.service.vip), config.service.port, MacAddress.parse(config.service.mac),
                nodes, config.policy, new TeardownPolicy(config.idleTimeoutSeconds, config.closeLingerSeconds),
                config.connectionIdleSeconds, BARRIER_TIMEOUT_MS);
    }

    public static Running start(ControllerConfig config) throws Exception {
        SpliceJournal journal = new SpliceJournal(Paths.get(config.store));
        OpenFlowProgram program = new OpenFlowProgram();
        SpliceEngine engine = new SpliceEngine(service(config), program, new JournalRecords(journal), FastPath.OFF,
                ClientLocator.NONE, System::currentTimeMillis, new Slf4jEngineLog(LOG));
        List<FourTuple> restored = journal.restoreInto(engine.tables());
        if (!restored.isEmpty()) {
            LOG.info("restored {} splices from the journal; their rules go to the switch when it connects", restored.size());
        }
        // The translator's map outlives the controller: made to match the journal, stale entries gone.
        FastPath fastPath = openFastPath(config.fastPathMap);
        engine.useFastPath(fastPath);
        SpliceController controller = new SpliceController(engine, program);

        InetSocketAddress restAddress = ControllerConfig.address(config.rest, "rest");
        HttpServer rest = RestServer.start(restAddress, API_PATH, new EngineSpliceService(engine),
                new NodeCredentials(config.nodeTokens(), config.adminToken), BodyLimitFilter.DEFAULT_LIMIT);
        OpenFlowServer openflow;
        try {
            openflow = new OpenFlowServer(ControllerConfig.address(config.openflow, "openflow"), () -> controller);
        } catch (Exception e) {
            rest.stop(0);
            throw e;
        }

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "splice-sweep");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                engine.sweep();
            } catch (Throwable e) { // anything escaping would cancel every later sweep, silently
                LOG.error("teardown sweep failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);

        Running running = new Running(openflow, rest, engine, timer, journal);
        LOG.info("tcpsplice controller: OpenFlow on {}, REST on http://{}{}, service {}:{} ({}), {} nodes, policy {}, journal {},"
                + " fast path {}", openflow.address(), config.rest, API_PATH, config.service.vip, config.service.port,
                config.service.mac, config.nodes.size(), config.policy, config.store, fastPath);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                LOG.warn("shutdown: {}", e.getMessage());
            }
        }));
        return running;
    }
}
