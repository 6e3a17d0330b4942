package org.tcpsplice.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keep-alive client connections between requests, and their requests this node serves with a short
 * response, in one thread with a selector (as HAProxy and nginx work), not one blocked thread each.
 * Measured with 1 KB requests served on one node (docs/benchmarks/2026-12-02.md): with a thread per connection
 * the agent cost 68 µs of CPU a request and nginx behind it 47; HAProxy in the agent's place cost 40
 * and nginx 31. Most of the difference was kernel time, in the thread switches of each round trip.
 *
 * <p>A connection's thread parks it here ({@link #park}) after a response, when nothing is buffered
 * on either side. The loop serves each request that is whole, has no body and belongs to this node,
 * if the response has no body or a Content-Length that fits {@link #RESPONSE_LIMIT}. Anything else
 * goes back to a thread ({@link Resumer}) with every byte read so far, before the loop has passed any
 * of it on: a request for another node (a handoff), a request with a body, a chunked or long response
 * (which the kernel relay moves), and anything the loop cannot parse (the thread answers it).
 */
final class KeepAliveLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(KeepAliveLoop.class.getName());

    /** The longest response the loop relays; the same bound above which bodies go through the kernel relay. */
    static final int RESPONSE_LIMIT = HttpInput.KERNEL_RELAY_MIN;

    /** Builds the thread's work for a connection the loop hands back. */
    interface Resumer {
        Runnable resume(byte[] clientBytes, Upstream upstream, Pending pending);
    }

    /** A request the loop sent (or began to send) whose response a resumed thread relays first. */
    static final class Pending {
        final boolean headRequest;
        final boolean keepAlive;
        /** The part of the request the web server has not taken yet. */
        final byte[] unsent;

        Pending(boolean headRequest, boolean keepAlive, byte[] unsent) {
            this.headRequest = headRequest;
            this.keepAlive = keepAlive;
            this.unsent = unsent;
        }
    }

    private final AgentConfig config;
    private final Selector selector;
    private final Queue<Parked> arriving = new ConcurrentLinkedQueue<>();
    private final List<Parked> leaving = new ArrayList<>();

    private KeepAliveLoop(AgentConfig config) throws IOException {
        this.config = config;
        this.selector = Selector.open();
    }

    /** The loop, running on its own daemon thread. */
    static KeepAliveLoop start(AgentConfig config) throws IOException {
        KeepAliveLoop loop = new KeepAliveLoop(config);
        Thread t = new Thread(loop, "keep-alive-loop");
        t.setDaemon(true);
        t.start();
        return loop;
    }

    /**
     * Takes a connection over from its thread, which must not touch the client or the upstream after
     * this (both are blocking channels; the loop makes them non-blocking).
     */
    void park(SocketChannel client, Upstream upstream, Resumer resumer) {
        arriving.add(new Parked(client, upstream, resumer));
        selector.wakeup();
    }

    @Override
    public void run() {
        while (true) {
            try {
                selector.select();
                for (Parked p; (p = arriving.poll()) != null; ) {
                    register(p);
                }
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isValid()) {
                        step((Parked) key.attachment(), key);
                    }
                }
                resumeLeaving();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "keep-alive loop: " + e.getMessage(), e);
            }
        }
    }

    private void register(Parked p) {
        try {
            p.client.configureBlocking(false);
            p.upstream.server().configureBlocking(false);
            p.clientKey = p.client.register(selector, SelectionKey.OP_READ, p);
            p.serverKey = p.upstream.server().register(selector, 0, p);
        } catch (IOException e) {
            close(p);
        }
    }

    private void step(Parked p, SelectionKey key) {
        try {
            if (key == p.serverKey) {
                readResponse(p);
            } else if (key.isWritable()) {
                writeResponse(p);
            } else {
                readRequest(p);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection ended: " + e.getMessage());
            close(p);
        }
    }

    private void readRequest(Parked p) throws IOException {
        p.request = room(p.request, p.requestBytes, HttpInput.MAX_HEAD);
        int n = p.client.read(ByteBuffer.wrap(p.request, p.requestBytes, p.request.length - p.requestBytes));
        if (n < 0) {
            close(p);
            return;
        }
        p.requestBytes += n;
        int headEnd = HttpInput.headEnd(p.request, 0, p.requestBytes);
        if (headEnd < 0) {
            if (p.requestBytes >= HttpInput.MAX_HEAD) {
                handBack(p, null); // the thread refuses it with 400
            }
            return;
        }
        HttpInput.Head head;
        try {
            head = HttpInput.Head.parse(p.request, 0, headEnd, true);
        } catch (HttpInput.BadMessage e) {
            handBack(p, null);
            return;
        }
        String node = config.nodeServing(head.target);
        if (!node.equals(config.nodeId) || head.contentLength > 0 || head.chunked || headEnd != p.requestBytes) {
            handBack(p, null); // a handoff, a body, or pipelined requests: the thread's work
            return;
        }
        boolean headRequest = "HEAD".equals(head.method);
        ByteBuffer toServer = ByteBuffer.wrap(p.request, 0, headEnd);
        p.upstream.server().write(toServer);
        p.requestBytes = 0;
        if (toServer.hasRemaining()) {
            byte[] unsent = Arrays.copyOfRange(p.request, toServer.position(), headEnd);
            handBack(p, new Pending(headRequest, head.keepAlive(), unsent));
            return;
        }
        p.headRequest = headRequest;
        p.keepAlive = head.keepAlive();
        p.responseBytes = 0;
        p.responseLength = -1;
        p.clientKey.interestOps(0);
        p.serverKey.interestOps(SelectionKey.OP_READ);
    }

    private void readResponse(Parked p) throws IOException {
        p.response = room(p.response, p.responseBytes, RESPONSE_LIMIT);
        int n = p.upstream.server().read(ByteBuffer.wrap(p.response, p.responseBytes, p.response.length - p.responseBytes));
        if (n < 0) {
            handBack(p, p.pending()); // the thread reports the web server's early close as it does
            return;
        }
        p.responseBytes += n;
        if (p.responseLength < 0) {
            int headEnd = HttpInput.headEnd(p.response, 0, p.responseBytes);
            if (headEnd < 0) {
                if (p.responseBytes >= RESPONSE_LIMIT) {
                    handBack(p, p.pending());
                }
                return;
            }
            HttpInput.Head head;
            try {
                head = HttpInput.Head.parse(p.response, 0, headEnd, false);
            } catch (HttpInput.BadMessage e) {
                handBack(p, p.pending());
                return;
            }
            if (head.status / 100 == 1) {
                handBack(p, p.pending()); // an interim response: the final one follows
                return;
            }
            long length = head.messageLength(headEnd, p.headRequest);
            if (length < 0 || length > RESPONSE_LIMIT) {
                handBack(p, p.pending()); // chunked, until close, or long: the thread relays it
                return;
            }
            p.responseLength = (int) length;
            p.keepAlive &= head.keepAlive();
        }
        if (p.responseBytes > p.responseLength) {
            handBack(p, p.pending()); // more than the response: the web server is not speaking HTTP/1.1 as asked
        } else if (p.responseBytes == p.responseLength) {
            p.serverKey.interestOps(0);
            p.toClient = ByteBuffer.wrap(p.response, 0, p.responseLength);
            writeResponse(p);
        }
    }

    private void writeResponse(Parked p) throws IOException {
        p.client.write(p.toClient);
        if (p.toClient.hasRemaining()) {
            p.clientKey.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        p.toClient = null;
        if (!p.keepAlive) {
            close(p);
            return;
        }
        p.responseBytes = 0;
        p.clientKey.interestOps(SelectionKey.OP_READ);
    }

    /** Stops watching the connection; after this pass of the loop it goes back to a thread. */
    private void handBack(Parked p, Pending pending) {
        p.clientKey.cancel();
        p.serverKey.cancel();
        p.handedBack = pending;
        leaving.add(p);
    }

    /** Channels may block again only once their cancelled keys are deregistered, at the next select. */
    private void resumeLeaving() throws IOException {
        if (leaving.isEmpty()) {
            return;
        }
        try {
            selector.selectNow();
        } finally {
            for (Parked p : leaving) {
                try {
                    p.client.configureBlocking(true);
                    p.upstream.server().configureBlocking(true);
                    if (p.responseBytes > 0) {
                        p.upstream.preload(Arrays.copyOf(p.response, p.responseBytes));
                    }
                    Runnable work = p.resumer.resume(Arrays.copyOf(p.request, p.requestBytes), p.upstream, p.handedBack);
                    ConnectionHandler.startThread(work);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "could not hand a connection back to a thread: " + e.getMessage(), e);
                    close(p);
                }
            }
            leaving.clear();
        }
    }

    private static void close(Parked p) {
        if (p.clientKey != null) {
            p.clientKey.cancel();
        }
        try {
            p.client.close();
        } catch (IOException ignored) {
            // already closed
        }
        p.upstream.close();
    }

    /** {@code b} with room for more after {@code used} bytes, up to {@code limit}. */
    private static byte[] room(byte[] b, int used, int limit) {
        if (used < b.length || b.length >= limit) {
            return b;
        }
        return Arrays.copyOf(b, Math.min(limit, b.length * 4));
    }

    /** One connection's state while parked. Buffers start small and grow to the limits. */
    private static final class Parked {
        final SocketChannel client;
        final Upstream upstream;
        final Resumer resumer;
        SelectionKey clientKey;
        SelectionKey serverKey;
        byte[] request = new byte[2048];
        int requestBytes;
        byte[] response = new byte[4096];
        int responseBytes;
        /** Of the whole response (head and body) once its head is read; -1 before. */
        int responseLength = -1;
        boolean headRequest;
        boolean keepAlive;
        ByteBuffer toClient;
        Pending handedBack;

        Parked(SocketChannel client, Upstream upstream, Resumer resumer) {
            this.client = client;
            this.upstream = upstream;
            this.resumer = resumer;
        }

        /** The request in flight, for the thread that relays its response. */
        Pending pending() {
            return new Pending(headRequest, keepAlive, new byte[0]);
        }
    }
}
