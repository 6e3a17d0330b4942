package org.tcpsplice.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Sockets of handed-off connections, silent (repair mode) and kept open until the controller says the
 * splice ended: an open socket keeps its port, so the node cannot reuse c2's port while the splice
 * lives, and a late client packet for c1 finds a socket rather than provoking an RST.
 */
final class HeldSockets {
    private static final Logger LOG = Logger.getLogger(HeldSockets.class.getName());

    /**
     * Splice ids per {@code POST /splices/ended}: about 9 KB of JSON, inside the controller's 16 KiB body
     * limit.
     */
    private static final int IDS_PER_CALL = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One handoff's two silent sockets; by identity, as a splice id may be held again (a splice may come back). */
    private static final class Held {
        final String spliceId;
        final SocketChannel c1;
        final SocketChannel c2;

        Held(String spliceId, SocketChannel c1, SocketChannel c2) {
            this.spliceId = spliceId;
            this.c1 = c1;
            this.c2 = c2;
        }

        void close() {
            for (SocketChannel s : new SocketChannel[] {c1, c2}) {
                try {
                    s.close(); // silent: the sockets are in repair mode
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    private final Set<Held> held = ConcurrentHashMap.newKeySet();
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
        held.add(new Held(spliceId, c1, c2));
    }

    /**
     * Asks the controller which held splices ended, {@link #IDS_PER_CALL} at a time, and closes their
     * sockets. Only what was held when the poll began is closed: a splice id held since may name a new
     * splice (the client used its port again).
     */
    private void releaseEnded() {
        List<Held> polled = new ArrayList<>(held);
        List<String> ids = polled.stream().map(h -> h.spliceId).distinct().collect(Collectors.toList());
        Set<String> ended = new HashSet<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_CALL) {
            try {
                ended.addAll(ended(ids.subList(from, Math.min(ids.size(), from + IDS_PER_CALL))));
            } catch (IOException e) {
                LOG.fine("controller not reachable; keeping held sockets: " + e.getMessage());
                break;
            }
        }
        for (Held h : polled) {
            if (ended.contains(h.spliceId) && held.remove(h)) {
                h.close();
            }
        }
    }

    private List<String> ended(List<String> ids) throws IOException {
        ObjectNode query = JSON.createObjectNode();
        ArrayNode list = query.putArray("ids");
        ids.forEach(list::add);
        ControllerClient.Reply reply = controller.post("splices/ended", JSON.writeValueAsString(query));
        if (reply.status != 200) {
            // Not a passing outage: held sockets (two descriptors each) would pile up. Say so.
            LOG.warning("the controller did not answer which splices ended (" + reply.status + "): " + reply.body);
            return List.of();
        }
        List<String> ended = new ArrayList<>();
        JSON.readTree(reply.body).path("ended").forEach(id -> ended.add(id.asText()));
        return ended;
    }
}
