package org.tcpsplice.controller.switchagent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.tcpsplice.controller.fastpath.BpfMap;
import org.tcpsplice.controller.fastpath.XdpFastPath;
import org.tcpsplice.core.fastpath.FastPathSignature;

/**
 * Starts the switch-host agent (root, on the host whose switch ports carry the XDP program):
 * {@code switch-host-agent --secret-file FILE [--listen 127.0.0.1:6680] [--map PATH]}.
 */
public final class SwitchHostAgentMain {
    static final String DEFAULT_LISTEN = "127.0.0.1:6680";
    static final String DEFAULT_MAP = "/sys/fs/bpf/tcpsplice/maps/splice_entries";
    private static final String USAGE = "usage: switch-host-agent --secret-file FILE [--listen HOST:PORT] [--map PATH]\n"
            + "  --secret-file  the secret shared with the controller (at least "
            + FastPathSignature.MIN_SECRET_LENGTH + " characters; mode 600)\n"
            + "  --listen       where the controller reaches it (default " + DEFAULT_LISTEN + ")\n"
            + "  --map          the XDP program's pinned map (default " + DEFAULT_MAP
            + ", as dataplane/xdp-offload.sh load pins it)";

    private SwitchHostAgentMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--listen", DEFAULT_LISTEN, "--map", DEFAULT_MAP));
        for (int i = 0; i < args.length; i += 2) {
            if (!List.of("--secret-file", "--listen", "--map").contains(args[i]) || i + 1 == args.length) {
                exit(args[i].equals("--help") ? "" : "switch-host-agent: " + args[i] + "?");
            }
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--secret-file")) {
            exit("switch-host-agent: --secret-file is required");
        }
        FastPathSignature signature;
        BpfMap map;
        InetSocketAddress listen;
        try {
            signature = FastPathSignature.fromFile(Paths.get(options.get("--secret-file")));
            listen = address(options.get("--listen"));
            map = XdpFastPath.openMap(options.get("--map"));
        } catch (IOException | IllegalArgumentException e) {
            exit("switch-host-agent: " + e.getMessage());
            return;
        }
        SwitchHostAgent agent = new SwitchHostAgent(listen, map, signature, XdpFastPath::programSecond);
        agent.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            map.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen " + hostPort + ": not HOST:PORT");
        }
        try {
            return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--listen " + hostPort + ": not HOST:PORT");
        }
    }

    private static void exit(String message) {
        if (!message.isEmpty()) {
            System.err.println(message);
        }
        System.err.println(USAGE);
        System.exit(message.isEmpty() ? 0 : 2);
    }
}
