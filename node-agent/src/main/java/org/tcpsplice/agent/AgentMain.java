package org.tcpsplice.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.tcpsplice.core.net.Ipv4;

/**
 * The node agent: {@code node-agent --config FILE}, as root (TCP_REPAIR and packet sockets need it),
 * with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (the launcher, scripts/node-agent.sh, sets it).
 */
public final class AgentMain {
    private static final Logger LOG = Logger.getLogger(AgentMain.class.getName());

    private AgentMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--config")) {
            System.err.println("usage: node-agent --config FILE   (fields: see docs/configuration.md)");
            System.exit(2);
        }
        Path file = Paths.get(args[1]);
        if (!Files.isReadable(file)) {
            System.err.println("node-agent: cannot read config file " + file);
            System.exit(2);
        }
        AgentConfig config;
        ControllerClient controller;
        try {
            config = AgentConfig.load(file);
            controller = new ControllerClient(config.controllerUrls(), config.authorization());
        } catch (Exception e) {
            System.err.println("node-agent: bad config " + file + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        InetSocketAddress listen = AgentConfig.hostAndPort("listen", config.listen);
        SocketAddress web = config.webServerAddress();
        HeldSockets held = new HeldSockets(controller, HeldSockets.POLL_SECONDS);
        int targetPort = config.handoffTargetPort != null ? config.handoffTargetPort : listen.getPort();
        Handoff handoff = new Handoff(config, controller, targetPort,
                config.relayPort != null ? config.relayPort : targetPort, synAckWatch(config));
        ConnectionHandler.Context node = new ConnectionHandler.Context(config, handoff, held, web);
        closeIdleConnections(controller, node.relays);
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            LinuxTcp.saveSyn(LinuxTcp.fd(listener)); // before listen(): accepted sockets keep their SYN
            listener.bind(listen, 1024);
            LOG.info(() -> "node agent " + config.nodeId + " on " + config.listen + ", web server " + config.webServer
                    + ", " + config.rules.size() + " content rules, controller " + String.join(", ", config.controllerUrls())
                    + (config.handoffTargetPort == null ? "" : ", handing off to port " + config.handoffTargetPort)
                    + (config.relayPort == null ? "" : ", relaying to port " + config.relayPort)
                    + (config.keepAliveLoop ? "" : ", a thread per connection throughout"));
            while (true) {
                SocketChannel client = listener.accept();
                client.setOption(StandardSocketOptions.TCP_NODELAY, true); // a proxy's writes are whole messages
                long synTsval = LinuxTcp.savedSynTsval(LinuxTcp.fd(client));
                ConnectionHandler.accept(node, client, synTsval);
            }
        }
    }

    /** Every few seconds, the kept-alive connections to the controller and to other nodes that nobody used for a while. */
    private static void closeIdleConnections(ControllerClient controller, RelayConnections relays) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idle-connections");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            controller.closeIdle(now);
            relays.closeIdle(now);
        }, 5, 5, TimeUnit.SECONDS);
    }

    /** The SYN-ACK watch, or null (and a warning): without it a handoff with timestamps is refused and relayed. */
    private static SynAckWatch synAckWatch(AgentConfig config) {
        try {
            return SynAckWatch.open(Ipv4.parse(config.nodeIp));
        } catch (IOException e) {
            LOG.warning("no SYN-ACK watch, so no handoff of a connection with timestamps: " + e.getMessage());
            return null;
        }
    }
}
