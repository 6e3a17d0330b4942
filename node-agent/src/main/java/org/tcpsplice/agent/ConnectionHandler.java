package org.tcpsplice.agent;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Patent Fig. 6 for one client connection (or a connection handed to this node, which looks the
 * same): read each request (620), pick the node from the content rules (630/640), serve it through the
 * local web server (650) or relay it to another node, or hand the connection off (660-690) and let go
 * of it. A new connection, and a keep-alive one between requests, waits in the {@link KeepAliveLoop},
 * which serves and relays short responses itself and hands the connection to a handler for everything
 * else.
 */
final class ConnectionHandler implements Runnable {
    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class.getName());

    private static final int RESPONSE_BUFFER = 64 * 1024;

    /** What every connection's handler shares: the node's settings and its parts. */
    static final class Context {
        final AgentConfig config;
        final Handoff handoff;
        final HeldSockets held;
        final SocketAddress webServer;
        /** Where keep-alive connections wait between requests; null: each keeps its thread. */
        final KeepAliveLoop loop;
        final DispatchPolicy dispatch;
        final RelayConnections relays = new RelayConnections();

        /** Starts the keep-alive loop if the config asks for it. */
        Context(AgentConfig config, Handoff handoff, HeldSockets held, SocketAddress webServer) throws IOException {
            this.config = config;
            this.dispatch = new DispatchPolicy(config);
            this.handoff = handoff;
            this.held = held;
            this.webServer = webServer;
            this.loop = config.keepAliveLoop ? KeepAliveLoop.start(config, dispatch, relays) : null;
        }
    }

    private final Context node;
    private final AgentConfig config;
    private final SocketChannel client;
    private final long clientSynTsval;
    /** The connection's requests so far, by node: the dispatch decisions' memory. */
    private final DispatchPolicy.Run run;
    /** When the keep-alive loop handed the connection back: the client's bytes it read, and its web server's connection. */
    private final byte[] readAhead;
    private final Upstream resumedWebServer;
    /** When the loop had sent a request: the response this thread relays first. */
    private final KeepAliveLoop.Pending pending;

    /**
     * Takes a new client connection: into the keep-alive loop, which takes its first request as it
     * takes the next ones of a kept-alive connection (a thread's hand-over and wake-ups per connection
     * cost more than relaying a short response), or on a thread of its own without the loop.
     */
    static void accept(Context node, SocketChannel client, long clientSynTsval) {
        ConnectionHandler first = new ConnectionHandler(node, client, clientSynTsval);
        if (node.loop == null) {
            startThread(first);
        } else {
            node.loop.park(client, null, first.run, first::resumed);
        }
    }

    /** A new client connection. */
    ConnectionHandler(Context node, SocketChannel client, long clientSynTsval) {
        this(node, client, clientSynTsval, new DispatchPolicy.Run(), new byte[0], null, null);
    }

    private ConnectionHandler(Context node, SocketChannel client, long clientSynTsval, DispatchPolicy.Run run,
                              byte[] readAhead, Upstream resumedWebServer, KeepAliveLoop.Pending pending) {
        this.node = node;
        this.config = node.config;
        this.client = client;
        this.clientSynTsval = clientSynTsval;
        this.run = run;
        this.readAhead = readAhead;
        this.resumedWebServer = resumedWebServer;
        this.pending = pending;
    }

    /**
     * Threads for connections, kept for a minute after their connection ends: starting and ending a
     * thread costs several times a pooled thread's hand-over, and every new connection, handoff and
     * hand-back from the keep-alive loop needs one.
     */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "conn-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    /** Runs {@code work} for a connection on a thread of its own (a pooled one). */
    static void startThread(Runnable work) {
        THREADS.execute(work);
    }

    @Override
    public void run() {
        boolean handedOff = false;
        boolean parked = false; // the keep-alive loop has the client and the web server's connection now
        // Kept alive across this connection's requests: the web server, and nodes it relays to.
        Map<String, Upstream> upstreams = new HashMap<>();
        if (resumedWebServer != null) {
            upstreams.put(config.nodeId, resumedWebServer);
        }
        if (pending != null) {
            upstreams.put(pending.node, pending.upstream);
        }
        try {
            HttpInput in = new HttpInput(Channels.newInputStream(client), null, readAhead);
            // Buffered, so that a response's head and a small body leave in one write (relayResponse
            // flushes at its end): written apart, Nagle held the body back until the client's delayed
            // ACK of the head, a delayed-ACK timeout per small response.
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(client), RESPONSE_BUFFER);
            if (pending != null) {
                pending.upstream.send(pending.unsent);
                boolean keepGoing = pending.upstream.relayResponse(pending.headRequest, pending.closing, out);
                if (!pending.node.equals(config.nodeId)) {
                    node.dispatch.relayed(pending.path, pending.upstream.lastResponseLength());
                }
                if (!keepGoing || !pending.keepAlive) {
                    return;
                }
            }
            HttpInput.Request request;
            while ((request = in.readRequest()) != null) {
                String target = config.nodeServing(request.path);
                boolean local = target.equals(config.nodeId);
                boolean handOff = !local && node.dispatch.handsOff(request.path, target, run);
                run.next(target);
                if (handOff) {
                    byte[] forward = concat(request.raw, in.buffered());
                    Handoff.Result result = node.handoff.perform(client, clientSynTsval, target, forward);
                    if (result.spliced) {
                        node.held.hold(result.spliceId, client, result.c2, result.c2Silent);
                        handedOff = true;
                        LOG.fine(() -> "handed off to " + target + " (splice " + result.spliceId + ")");
                        return;
                    }
                    LOG.warning("no handoff of " + request.path + " to " + target + ": " + result.why
                            + "; this connection's requests for " + target + " are relayed instead");
                    run.refused(target);
                    in.append(result.heldBack);
                    Upstream before = upstreams.put(target, new Upstream(result.c2, client, config.kernelRelay));
                    if (before != null) {
                        before.close();
                    }
                }
                Upstream upstream = upstreams.get(target);
                boolean pooled = false;
                if (upstream == null) {
                    SocketChannel server = local ? openWebServer() : node.relays.take(target);
                    pooled = !local && server != null;
                    upstream = new Upstream(server != null ? server : node.handoff.plainConnection(target), client,
                            config.kernelRelay);
                    upstreams.put(target, upstream);
                }
                // To another node without "Connection: close": its connection stays for other clients,
                // and the client's "close" goes back into the response.
                byte[] sent = local ? request.raw : request.keepingOpen;
                boolean closing = sent != request.raw;
                boolean head = "HEAD".equals(request.method);
                boolean keepGoing;
                try {
                    keepGoing = upstream.exchange(sent, head, closing, out);
                } catch (IOException e) {
                    if (!pooled || !upstream.unanswered()) {
                        throw e;
                    }
                    // A kept connection the other node closed just as it was taken: nothing reached
                    // the client, so the request goes once more, on a new connection.
                    upstream.close();
                    upstream = new Upstream(node.handoff.plainConnection(target), client, config.kernelRelay);
                    upstreams.put(target, upstream);
                    keepGoing = upstream.exchange(sent, head, closing, out);
                }
                if (!local) {
                    node.dispatch.relayed(request.path, upstream.lastResponseLength());
                }
                if (!request.keepAlive || !keepGoing) {
                    return;
                }
                // Parked only after a short response: a connection fetching long ones would come back
                // to a new thread for each. The loop keeps the web server's connection; those to other
                // nodes go to the shared ones, which the loop takes from.
                if (node.loop != null && in.bufferedCount() == 0 && upstream.idle() && upstream.lastResponseWasShort()) {
                    Upstream webServer = upstreams.remove(config.nodeId);
                    letGo(upstreams);
                    upstreams.clear();
                    parked = true;
                    node.loop.park(client, webServer, run, this::resumed);
                    return;
                }
            }
        } catch (HttpInput.BadMessage e) {
            answerAndClose("400 Bad Request", e.getMessage(), Level.INFO);
        } catch (Unreachable e) {
            answerAndClose("502 Bad Gateway", e.getMessage(), Level.WARNING);
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection ended: " + e.getMessage());
        } finally {
            if (!handedOff && !parked) {
                close(client);
            }
            letGo(upstreams); // empty once parked
        }
    }

    /** The web server's connection closed; those to other nodes kept for other clients where they can be. */
    private void letGo(Map<String, Upstream> upstreams) {
        upstreams.forEach((target, upstream) -> {
            if (target.equals(config.nodeId)) {
                upstream.close();
                return;
            }
            SocketChannel kept = upstream.release();
            if (kept != null) {
                node.relays.give(target, kept);
            }
        });
    }

    /** The work for this connection once the keep-alive loop hands it back. */
    private Runnable resumed(byte[] clientBytes, Upstream webServer, KeepAliveLoop.Pending inFlight) {
        return new ConnectionHandler(node, client, clientSynTsval, run, clientBytes, webServer, inFlight);
    }

    private SocketChannel openWebServer() throws IOException {
        try {
            return SocketChannel.open(node.webServer);
        } catch (IOException e) {
            throw new Unreachable("the web server", node.webServer, e);
        }
    }

    /** The last answer on this connection (which the caller then closes): a status without a body. */
    private void answerAndClose(String status, String why, Level level) {
        LOG.log(level, () -> status + ": " + why); // first: whoever sees the answer may look for the reason
        try {
            writeAll(client, ("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // the client is gone anyway
        }
    }

    private static void writeAll(SocketChannel c, byte[] bytes) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

}
