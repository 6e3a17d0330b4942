package org.tcpsplice.controller;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
import org.tcpsplice.controller.store.SpliceJournal;
import org.tcpsplice.core.SpliceSwitch;
import org.tcpsplice.core.distribution.LeastConnectionsDistribution;
import org.tcpsplice.core.distribution.NodeDistribution;
import org.tcpsplice.core.distribution.RoundRobinDistribution;
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
        final SpliceController controller;
        private final ScheduledExecutorService timer;
        private final SpliceJournal journal;
        private final FastPath fastPath;

        Running(OpenFlowServer openflow, HttpServer rest, SpliceController controller, ScheduledExecutorService timer,
                SpliceJournal journal, FastPath fastPath) {
            this.openflow = openflow;
            this.rest = rest;
            this.controller = controller;
            this.timer = timer;
            this.journal = journal;
            this.fastPath = fastPath;
        }

        @Override
        public void close() throws Exception {
            rest.stop(0);
            openflow.close();
            timer.shutdownNow();
            controller.close();
            journal.close();
            fastPath.close();
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

    public static Running start(ControllerConfig config) throws Exception {
        Nodes nodes = new Nodes(config.nodes);
        int vip = Ipv4.parse(config.service.vip);
        NodeDistribution distribution = config.policy.equals("least-connections")
                ? new LeastConnectionsDistribution(vip, config.service.port, nodes.ips())
                : new RoundRobinDistribution(vip, config.service.port, nodes.ips());
        SpliceSwitch sw = new SpliceSwitch(distribution,
                new TeardownPolicy(config.idleTimeoutSeconds, config.closeLingerSeconds), System::currentTimeMillis);
        SpliceJournal journal = new SpliceJournal(Paths.get(config.store));
        FastPath fastPath = openFastPath(config.fastPathMap);
        SpliceController controller = new SpliceController(nodes, vip, MacAddress.parse(config.service.mac),
                config.connectionIdleSeconds, sw, journal, fastPath);

        InetSocketAddress restAddress = ControllerConfig.address(config.rest, "rest");
        HttpServer rest = RestServer.start(restAddress, API_PATH, controller,
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
                controller.sweep();
            } catch (RuntimeException e) {
                LOG.error("teardown sweep failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);

        Running running = new Running(openflow, rest, controller, timer, journal, fastPath);
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
