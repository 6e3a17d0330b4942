package org.tcpsplice.agent;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Sockets of handed-off connections, silent (repair mode) and kept open until the controller says the
 * splice ended: an open socket keeps its port, so the node cannot reuse c2's port while the splice
 * lives, and a late client packet for c1 finds a socket rather than provoking an RST.
 */
final class HeldSockets {
    private static final Logger LOG = Logger.getLogger(HeldSockets.class.getName());

    private final Map<String, SocketChannel[]> held = new ConcurrentHashMap<>();
    private final ControllerClient controller;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "held-sockets");
        t.setDaemon(true);
        return t;
    });

    HeldSockets(ControllerClient controller, int pollSeconds) {
        this.controller = controller;
        poller.scheduleWithFixedDelay(this::releaseEnded, pollSeconds, pollSeconds, TimeUnit.SECONDS);
    }

    void hold(String spliceId, SocketChannel c1, SocketChannel c2) {
        SocketChannel[] previous = held.put(spliceId + "#" + System.nanoTime(), new SocketChannel[] {c1, c2});
        if (previous != null) {
            closeAll(previous);
        }
    }

    private void releaseEnded() {
        for (Map.Entry<String, SocketChannel[]> e : held.entrySet()) {
            String id = e.getKey().substring(0, e.getKey().indexOf('#'));
            try {
                if (controller.get("splices/" + id).status == 404) {
                    held.remove(e.getKey());
                    closeAll(e.getValue());
                }
            } catch (IOException | InterruptedException ex) {
                LOG.fine("controller not reachable; keeping held sockets: " + ex.getMessage());
            }
        }
    }

    private static void closeAll(SocketChannel[] sockets) {
        for (SocketChannel s : sockets) {
            try {
                s.close(); // silent: the sockets are in repair mode
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
