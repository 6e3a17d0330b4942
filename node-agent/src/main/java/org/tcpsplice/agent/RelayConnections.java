package org.tcpsplice.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle connections to other nodes that relayed requests went over, shared by this agent's client
 * connections (as HAProxy reuses its server connections): a new client connection whose request is
 * relayed takes one instead of opening a connection of its own, which cost more than the relay itself
 * for {@code Connection: close} clients (docs/benchmarks/2026-12-02.md).
 *
 * <p>A connection comes back only after a complete response that kept it open, so no response bytes
 * are in flight on it. Each is checked when taken: one the other side has closed (or that has bytes
 * nobody asked for) is closed here, and one idle for longer than {@link #IDLE_LIMIT_NANOS} is not
 * used (the other node's web server may be about to close it); {@link #closeIdle} closes those nobody
 * takes. A connection the other side closes between the check and the request is the caller's to retry
 * (ConnectionHandler).
 */
final class RelayConnections {
    /** Below nginx's default keepalive_timeout (65 s). */
    static final long IDLE_LIMIT_NANOS = 30_000_000_000L;
    /** Idle connections kept per node; more are closed. */
    static final int PER_NODE = 64;

    private static final class Idle {
        final SocketChannel channel;
        final long since;

        Idle(SocketChannel channel, long since) {
            this.channel = channel;
            this.since = since;
        }
    }

    private final Map<String, ArrayDeque<Idle>> idle = new HashMap<>();

    /** An open idle connection to {@code node}, or null if none is kept. */
    SocketChannel take(String node) {
        while (true) {
            Idle c;
            synchronized (idle) {
                ArrayDeque<Idle> q = idle.get(node);
                c = q == null ? null : q.pollLast(); // the most recently used: the least likely to be closed
            }
            if (c == null) {
                return null;
            }
            if (System.nanoTime() - c.since < IDLE_LIMIT_NANOS && quietAndOpen(c.channel)) {
                return c.channel;
            }
            close(c.channel);
        }
    }

    /** A connection to {@code node} that has answered everything it was asked, for another client. */
    void give(String node, SocketChannel channel) {
        SocketChannel dropped = null;
        synchronized (idle) {
            ArrayDeque<Idle> q = idle.computeIfAbsent(node, n -> new ArrayDeque<>());
            q.addLast(new Idle(channel, System.nanoTime()));
            if (q.size() > PER_NODE) {
                dropped = q.pollFirst().channel;
            }
        }
        if (dropped != null) {
            close(dropped);
        }
    }

    /** Closes the connections idle at {@code now} (System.nanoTime) for {@link #IDLE_LIMIT_NANOS} or longer. */
    void closeIdle(long now) {
        List<SocketChannel> old = new ArrayList<>();
        synchronized (idle) {
            for (ArrayDeque<Idle> q : idle.values()) {
                while (!q.isEmpty() && now - q.peekFirst().since >= IDLE_LIMIT_NANOS) { // oldest first
                    old.add(q.pollFirst().channel);
                }
            }
        }
        old.forEach(RelayConnections::close);
    }

    /** Idle connections kept for {@code node}. */
    int idleCount(String node) {
        synchronized (idle) {
            ArrayDeque<Idle> q = idle.get(node);
            return q == null ? 0 : q.size();
        }
    }

    /** Nothing to read and not closed by the other side: one non-blocking read of a byte tells. */
    private static boolean quietAndOpen(SocketChannel c) {
        try {
            c.configureBlocking(false);
            int n = c.read(ByteBuffer.allocate(1));
            c.configureBlocking(true); // the kernel relay needs blocking sockets
            return n == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
