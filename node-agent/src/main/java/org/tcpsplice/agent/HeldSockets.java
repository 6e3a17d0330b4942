package org.tcpsplice.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;

/**
 * Sockets of handed-off connections, silent (repair mode) and kept open while a splice maps their
 * connection: an open socket keeps its port, so the node cannot reuse c2's port while the splice needs
 * it, and a late client packet for c1 finds a socket rather than provoking an RST. Each socket is
 * closed once the controller says no splice maps its connection any more (its range compacted away, or
 * its splice ended).
 */
final class HeldSockets {
    private static final Logger LOG = Logger.getLogger(HeldSockets.class.getName());

    /**
     * Splices per {@code POST /splices/ended}, with their sockets' connections: about 10 KB of JSON,
     * inside the controller's 16 KiB body limit.
     */
    private static final int SPLICES_PER_CALL = 100;
    /**
     * Seconds between polls. Released sockets stay open until the next poll, so an agent's descriptors
     * grow with its handoff rate times this (two per handoff).
     */
    static final int POLL_SECONDS = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One silent socket and its connection (local to remote, as a:p->b:q). */
    private static final class Socket {
        final SocketChannel channel;
        final String connection;
        /** Done once nothing else uses the socket's fd (c2 is silenced after the handoff's answer). */
        final CompletableFuture<Void> silent;

        Socket(SocketChannel channel, CompletableFuture<Void> silent) {
            this.channel = channel;
            this.silent = silent;
            String c;
            try {
                c = tuple((InetSocketAddress) channel.getLocalAddress(), (InetSocketAddress) channel.getRemoteAddress())
                        .toString();
            } catch (IOException e) {
                c = null; // closed already: nothing to hold
            }
            this.connection = c;
        }

        private static FourTuple tuple(InetSocketAddress local, InetSocketAddress remote) {
            return new FourTuple(Ipv4.parse(local.getAddress().getHostAddress()), local.getPort(),
                    Ipv4.parse(remote.getAddress().getHostAddress()), remote.getPort());
        }

        void close() {
            try {
                channel.close(); // silent: the socket is in repair mode
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** One handoff's two silent sockets; by identity, as a splice id may be held again (a splice may come back). */
    private static final class Held {
        final String spliceId;
        final Set<Socket> open = ConcurrentHashMap.newKeySet();

        Held(String spliceId, SocketChannel c1, SocketChannel c2, CompletableFuture<Void> c2Silent) {
            this.spliceId = spliceId;
            open.add(new Socket(c1, CompletableFuture.completedFuture(null)));
            open.add(new Socket(c2, c2Silent));
        }

        /** Closes it, unless c2 is still being silenced (then at a later poll). */
        void close(Socket s) {
            if (s.silent.isDone() && open.remove(s)) {
                s.close();
            }
        }

        void closeAll() {
            open.forEach(this::close);
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

    /** {@code c2Silent}: completes once the handoff no longer uses c2 (it is silenced). */
    void hold(String spliceId, SocketChannel c1, SocketChannel c2, CompletableFuture<Void> c2Silent) {
        held.add(new Held(spliceId, c1, c2, c2Silent));
    }

    /**
     * Asks the controller which held splices ended and which held connections it has released,
     * {@link #SPLICES_PER_CALL} splices at a time, and closes those sockets. Only what was held when the
     * poll began is closed: a splice id held since may name a new splice (the client used its port again).
     */
    private void releaseEnded() {
        List<Held> polled = new ArrayList<>(held);
        for (int from = 0; from < polled.size(); from += SPLICES_PER_CALL) {
            List<Held> some = polled.subList(from, Math.min(polled.size(), from + SPLICES_PER_CALL));
            Answer answer;
            try {
                answer = ask(some);
            } catch (IOException e) {
                LOG.fine("controller not reachable; keeping held sockets: " + e.getMessage());
                return;
            }
            for (Held h : some) {
                if (answer.ended.contains(h.spliceId)) {
                    h.closeAll();
                } else {
                    h.open.stream().filter(s -> s.connection == null || answer.released.contains(s.connection))
                            .forEach(h::close);
                }
                if (h.open.isEmpty()) {
                    held.remove(h);
                }
            }
        }
    }

    /** The controller's answer for some held splices: ended splice ids, released connections. */
    private static final class Answer {
        final Set<String> ended = new HashSet<>();
        final Set<String> released = new HashSet<>();
    }

    private Answer ask(List<Held> some) throws IOException {
        ObjectNode query = JSON.createObjectNode();
        ArrayNode ids = query.putArray("ids");
        ArrayNode connections = query.putArray("connections");
        for (Held h : some) {
            ids.add(h.spliceId);
            h.open.stream().filter(s -> s.connection != null).forEach(s -> connections.add(s.connection));
        }
        ControllerClient.Reply reply = controller.post("splices/ended", JSON.writeValueAsString(query));
        Answer answer = new Answer();
        if (reply.status != 200) {
            // Not a passing outage: held sockets (two descriptors each) would pile up. Say so.
            LOG.warning("the controller did not answer which splices ended (" + reply.status + "): " + reply.body);
            return answer;
        }
        JsonNode body = JSON.readTree(reply.body);
        body.path("ended").forEach(id -> answer.ended.add(id.asText()));
        body.path("released").forEach(c -> answer.released.add(c.asText()));
        return answer;
    }
}
