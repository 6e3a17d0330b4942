package org.tcpsplice.agent;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The keep-alive loop's idle connections to servers, by node: to other nodes, which it relays short
 * responses over, and (under this node's id) to its own web server, which client connections that
 * ended left behind. They are registered with its selector, non-blocking, and watched for a close by
 * the other side while idle (so none is used after a web server closed it for idleness), and closed
 * after {@link RelayConnections#IDLE_LIMIT_NANOS} unused, as the shared ones are; the web server's
 * after {@link #WEB_SERVER_IDLE_LIMIT_NANOS}. When it has none for
 * a node it takes one from the agent's {@link RelayConnections}, which the connections' threads fill;
 * the connections it takes stay here (up to {@link RelayConnections#PER_NODE} idle per node). Used by
 * the loop's thread only.
 */
final class LoopRelays {
    /** The attachment of an idle connection's key. */
    static final class Idle {
        final String node;
        final SelectionKey key;
        final long since;

        Idle(String node, SelectionKey key, long since) {
            this.node = node;
            this.key = key;
            this.since = since;
        }
    }

    /**
     * Its own web server's connections are cheap to open again (loopback or a Unix socket); and each
     * idle connection from another node's loop holds one here when it closes, so the two limits add.
     */
    static final long WEB_SERVER_IDLE_LIMIT_NANOS = 5_000_000_000L;

    private final Selector selector;
    private final RelayConnections shared;
    private final String ownNode;
    private final Map<String, ArrayDeque<Idle>> idle = new HashMap<>();

    /** {@code ownNode}: the id under which the web server's connections are kept. */
    LoopRelays(Selector selector, RelayConnections shared, String ownNode) {
        this.selector = selector;
        this.shared = shared;
        this.ownNode = ownNode;
    }

    private long idleLimit(String node) {
        return node.equals(ownNode) ? WEB_SERVER_IDLE_LIMIT_NANOS : RelayConnections.IDLE_LIMIT_NANOS;
    }

    /**
     * An open connection to {@code node} with nothing in flight, registered with no interest and
     * {@code attachment} attached; null if there is none to take.
     */
    SelectionKey take(String node, Object attachment) {
        ArrayDeque<Idle> q = idle.get(node);
        long now = System.nanoTime();
        while (q != null && !q.isEmpty()) {
            Idle i = q.pollLast(); // the most recently used: the least likely to be closed
            if (now - i.since < idleLimit(node) && i.key.isValid()) {
                i.key.interestOps(0);
                i.key.attach(attachment);
                return i.key;
            }
            close(i.key);
        }
        SocketChannel c = shared.take(node);
        if (c == null) {
            return null;
        }
        try {
            c.configureBlocking(false);
            return c.register(selector, 0, attachment);
        } catch (IOException e) {
            close(c);
            return null;
        }
    }

    /** A connection to {@code node} that answered everything it was asked, for the next request. */
    void give(String node, SelectionKey key) {
        Idle i = new Idle(node, key, System.nanoTime());
        key.attach(i);
        key.interestOps(SelectionKey.OP_READ);
        ArrayDeque<Idle> q = idle.computeIfAbsent(node, n -> new ArrayDeque<>());
        q.addLast(i);
        if (q.size() > RelayConnections.PER_NODE) {
            close(q.pollFirst().key);
        }
    }

    /** An idle connection became readable: the other side closed it, or sent what nobody asked for. */
    void readable(Idle i) {
        ArrayDeque<Idle> q = idle.get(i.node);
        if (q != null) {
            q.remove(i);
        }
        close(i.key);
    }

    /** Closes the connections idle at {@code now} (System.nanoTime) for their node's limit or longer. */
    void closeIdle(long now) {
        for (Map.Entry<String, ArrayDeque<Idle>> e : idle.entrySet()) {
            ArrayDeque<Idle> q = e.getValue();
            long limit = idleLimit(e.getKey());
            while (!q.isEmpty() && now - q.peekFirst().since >= limit) { // oldest first
                close(q.pollFirst().key);
            }
        }
    }

    /** Idle connections kept for {@code node}. */
    int idleCount(String node) {
        ArrayDeque<Idle> q = idle.get(node);
        return q == null ? 0 : q.size();
    }

    static void close(SelectionKey key) {
        key.cancel();
        close((SocketChannel) key.channel());
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
