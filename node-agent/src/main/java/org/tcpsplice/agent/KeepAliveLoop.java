package org.tcpsplice.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
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
 * Client connections waiting for a request (new ones, and keep-alive ones between requests), and
 * their requests that have a short response, in one thread with a selector (as HAProxy and nginx
 * work), not one blocked thread each. Measured with 1 KB requests served on one node
 * (docs/benchmarks/2026-12-02.md): with a thread per connection the agent cost 68 µs of CPU a request
 * and nginx behind it 47; HAProxy in the agent's place cost 40 and nginx 31. Most of the difference was
 * kernel time, in the thread switches of each round trip; relaying other nodes' responses and taking
 * new connections here too did the same for rotating and Connection: close clients
 * (docs/benchmarks/2026-12-08.md).
 *
 * <p>A new connection is parked here ({@link #park}) when accepted, a connection's thread parks it
 * after a response when nothing is buffered on either side. The loop takes each request that is whole
 * and has no body: one for this node goes to the web server over the connection's own connection to
 * it (opened here for a new one); one for another node that the {@link DispatchPolicy} relays goes
 * over one of the loop's connections to that node ({@link LoopRelays}), without the client's
 * "Connection: close" (the response gets it instead), as a thread relays it. The loop relays the
 * response if it has no body or a Content-Length that fits {@link #RESPONSE_LIMIT}. Anything else goes
 * back to a thread ({@link Resumer}) with every byte read so far, before the loop has passed any of it
 * on: a handoff, a request with a body, a chunked or long response (which the kernel relay moves), a
 * request for another node with no kept connection to it, and anything the loop cannot parse or reach
 * (the thread answers it).
 */
final class KeepAliveLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(KeepAliveLoop.class.getName());

    /** The longest response the loop relays; the same bound above which bodies go through the kernel relay. */
    static final int RESPONSE_LIMIT = HttpInput.KERNEL_RELAY_MIN;

    /** Builds the thread's work for a connection the loop hands back. */
    interface Resumer {
        /** {@code webServer}: the connection's own, null if it has none; {@code pending}: null if no request is in flight. */
        Runnable resume(byte[] clientBytes, Upstream webServer, Pending pending);
    }

    /** A request the loop sent (or began to send) whose response a resumed thread relays first. */
    static final class Pending {
        /** The node it went to, its path, and the connection that answers it. */
        final String node;
        final String path;
        final Upstream upstream;
        final boolean headRequest;
        final boolean keepAlive;
        /** The response goes to the client saying "Connection: close" (HttpInput#relayResponse). */
        final boolean closing;
        /** The part of the request the server has not taken yet. */
        final byte[] unsent;

        Pending(String node, String path, Upstream upstream, boolean headRequest, boolean keepAlive, boolean closing,
                byte[] unsent) {
            this.node = node;
            this.path = path;
            this.upstream = upstream;
            this.headRequest = headRequest;
            this.keepAlive = keepAlive;
            this.closing = closing;
            this.unsent = unsent;
        }
    }

    private final AgentConfig config;
    private final SocketAddress webServerAddress;
    private final DispatchPolicy dispatch;
    private final Selector selector;
    private final LoopRelays relays;
    private final Queue<Parked> arriving = new ConcurrentLinkedQueue<>();
    private final List<Parked> leaving = new ArrayList<>();

    private KeepAliveLoop(AgentConfig config, DispatchPolicy dispatch, RelayConnections shared) throws IOException {
        this.config = config;
        this.webServerAddress = config.webServerAddress();
        this.dispatch = dispatch;
        this.selector = Selector.open();
        this.relays = new LoopRelays(selector, shared, config.nodeId);
    }

    /** The loop, running on its own daemon thread; {@code shared}: where it finds connections to other nodes. */
    static KeepAliveLoop start(AgentConfig config, DispatchPolicy dispatch, RelayConnections shared) throws IOException {
        KeepAliveLoop loop = new KeepAliveLoop(config, dispatch, shared);
        Thread t = new Thread(loop, "keep-alive-loop");
        t.setDaemon(true);
        t.start();
        return loop;
    }

    /**
     * Takes a connection over from its thread, which must not touch the client, its web server's
     * connection ({@code webServer}, null if it has none) or {@code run} after this (the channels are
     * blocking; the loop makes them non-blocking).
     */
    void park(SocketChannel client, Upstream webServer, DispatchPolicy.Run run, Resumer resumer) {
        arriving.add(new Parked(client, webServer, run, resumer));
        selector.wakeup();
    }

    /** How often the loop closes its idle connections to servers that nobody used for a while. */
    private static final long IDLE_CHECK_MILLIS = 1_000;

    @Override
    public void run() {
        long nextIdleCheck = System.nanoTime();
        while (true) {
            try {
                selector.select(IDLE_CHECK_MILLIS);
                long now = System.nanoTime();
                if (now - nextIdleCheck >= 0) {
                    relays.closeIdle(now);
                    nextIdleCheck = now + IDLE_CHECK_MILLIS * 1_000_000;
                }
                for (Parked p; (p = arriving.poll()) != null; ) {
                    register(p);
                }
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.attachment() instanceof LoopRelays.Idle) {
                        relays.readable((LoopRelays.Idle) key.attachment());
                    } else {
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
            p.clientKey = p.client.register(selector, SelectionKey.OP_READ, p);
            if (p.webServer != null) {
                p.webServer.server().configureBlocking(false);
                p.serverKey = p.webServer.server().register(selector, 0, p);
                p.webServerIdle = true; // a thread parks a connection only between whole exchanges
            }
        } catch (IOException e) {
            close(p);
        }
    }

    private void step(Parked p, SelectionKey key) {
        try {
            if (key != p.clientKey) {
                if (key.isConnectable()) {
                    connected(p);
                } else {
                    readResponse(p);
                }
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
                handBack(p, false); // the thread refuses it with 400
            }
            return;
        }
        HttpInput.Head head;
        try {
            head = HttpInput.Head.parse(p.request, 0, headEnd, true);
        } catch (HttpInput.BadMessage e) {
            handBack(p, false);
            return;
        }
        if (head.contentLength > 0 || head.chunked || headEnd != p.requestBytes) {
            handBack(p, false); // a body, or pipelined requests: the thread's work
            return;
        }
        String node = config.nodeServing(head.target);
        boolean local = node.equals(config.nodeId);
        SelectionKey to;
        if (local) {
            to = p.serverKey != null ? p.serverKey : openWebServer(p);
        } else if (!dispatch.handsOff(head.target, node, p.run)) {
            to = relays.take(node, p);
        } else {
            to = null;
        }
        if (to == null) {
            handBack(p, false); // a handoff, no connection to relay over, or a web server the thread reports
            return;
        }
        byte[] sent = local ? p.request : HttpInput.keepingOpen(p.request, headEnd, head);
        p.outgoing = ByteBuffer.wrap(sent, 0, local ? headEnd : sent.length);
        p.closing = !local && p.outgoing.remaining() != headEnd;
        p.active = to;
        p.activeNode = node;
        p.path = head.target;
        p.sentLength = headEnd;
        p.headRequest = "HEAD".equals(head.method);
        p.keepAlive = head.keepAlive();
        p.clientKey.interestOps(0);
        if (p.connecting) {
            to.interestOps(SelectionKey.OP_CONNECT);
        } else {
            send(p);
        }
    }

    /**
     * A connection to the web server for a connection that has none: one another client connection
     * left idle, or a new one, non-blocking; its key, or null where the connect fails at once.
     */
    private SelectionKey openWebServer(Parked p) throws IOException {
        SelectionKey kept = relays.take(config.nodeId, p);
        if (kept != null) {
            p.webServer = new Upstream((SocketChannel) kept.channel(), p.client, config.kernelRelay);
            p.serverKey = kept;
            p.webServerReused = true;
            return kept;
        }
        SocketChannel c = webServerAddress instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            c.configureBlocking(false);
            p.connecting = !c.connect(webServerAddress);
        } catch (IOException e) {
            c.close();
            return null;
        }
        p.webServer = new Upstream(c, p.client, config.kernelRelay);
        p.serverKey = c.register(selector, 0, p);
        return p.serverKey;
    }

    /** The web server's connection is set up (or failed: the thread tries again and answers for it). */
    private void connected(Parked p) throws IOException {
        try {
            if (!((SocketChannel) p.serverKey.channel()).finishConnect()) {
                return;
            }
        } catch (IOException e) {
            dropActive(p);
            handBack(p, false);
            return;
        }
        p.connecting = false;
        send(p);
    }

    /** Sends the request (p.outgoing) over p.active; then waits for the response. */
    private void send(Parked p) throws IOException {
        try {
            ((SocketChannel) p.active.channel()).write(p.outgoing);
        } catch (IOException e) {
            if (!kept(p)) {
                throw e;
            }
            dropActive(p); // a kept connection the server closed: the thread sends the request anew
            handBack(p, false);
            return;
        }
        p.run.next(p.activeNode);
        p.webServerIdle &= p.active != p.serverKey;
        p.requestBytes = 0;
        p.responseBytes = 0;
        p.responseLength = -1;
        if (p.outgoing.hasRemaining()) {
            p.unsent = Arrays.copyOfRange(p.outgoing.array(), p.outgoing.position(), p.outgoing.limit());
            handBack(p, true);
            return;
        }
        p.active.interestOps(SelectionKey.OP_READ);
    }

    private void readResponse(Parked p) throws IOException {
        SocketChannel server = (SocketChannel) p.active.channel();
        boolean relayed = p.active != p.serverKey;
        p.response = room(p.response, p.responseBytes, RESPONSE_LIMIT);
        int n;
        try {
            n = server.read(ByteBuffer.wrap(p.response, p.responseBytes, p.response.length - p.responseBytes));
        } catch (IOException e) {
            if (!kept(p)) {
                throw e;
            }
            n = -1;
        }
        if (n < 0) {
            if (kept(p) && p.responseBytes == 0) {
                // A kept connection the server closed as the request went: nothing reached the
                // client, so the thread sends the request once more, on another connection.
                dropActive(p);
                p.requestBytes = p.sentLength;
                handBack(p, false);
            } else {
                handBack(p, true); // the thread reports the server's early close as it does
            }
            return;
        }
        p.responseBytes += n;
        if (p.responseLength < 0) {
            int headEnd = HttpInput.headEnd(p.response, 0, p.responseBytes);
            if (headEnd < 0) {
                if (p.responseBytes >= RESPONSE_LIMIT) {
                    handBack(p, true);
                }
                return;
            }
            HttpInput.Head head;
            try {
                head = HttpInput.Head.parse(p.response, 0, headEnd, false);
            } catch (HttpInput.BadMessage e) {
                handBack(p, true);
                return;
            }
            if (head.status / 100 == 1) {
                handBack(p, true); // an interim response: the final one follows
                return;
            }
            long length = head.messageLength(headEnd, p.headRequest);
            if (length < 0 || length > RESPONSE_LIMIT) {
                handBack(p, true); // chunked, until close, or long: the thread relays it
                return;
            }
            p.responseLength = (int) length;
            p.responseHead = head;
            p.responseHeadEnd = headEnd;
            p.serverKeepsOpen = head.keepAlive();
        }
        if (p.responseBytes > p.responseLength) {
            handBack(p, true); // more than the response: the server is not speaking HTTP/1.1 as asked
        } else if (p.responseBytes == p.responseLength) {
            p.active.interestOps(0);
            if (relayed) {
                dispatch.relayed(p.path, p.responseLength);
                if (p.serverKeepsOpen) {
                    relays.give(p.activeNode, p.active);
                } else {
                    LoopRelays.close(p.active);
                }
            } else {
                p.webServerIdle = p.serverKeepsOpen;
                p.webServerReused = false;
            }
            p.active = null;
            p.keepAlive &= p.serverKeepsOpen;
            if (!p.keepAlive) {
                corkUntilClose(p.client);
            }
            p.toClient = p.closing ? closingResponse(p) : ByteBuffer.wrap(p.response, 0, p.responseLength);
            writeResponse(p);
        }
    }

    /**
     * The request in flight went over a connection that had been idle (to another node, or the web
     * server's, left by another client): one its server may have closed meanwhile, so a close before
     * any response byte means "send it again", not an error.
     */
    private static boolean kept(Parked p) {
        return p.active != p.serverKey || p.webServerReused;
    }

    /** Closes the connection the request in flight went over; a web server's leaves this client connection without one. */
    private static void dropActive(Parked p) {
        if (p.active == p.serverKey) {
            p.webServer.close();
            p.webServer = null;
            p.serverKey = null;
        } else {
            LoopRelays.close(p.active);
        }
        p.active = null;
    }

    /** The connection's last response goes out with its FIN (LinuxTcp#corkUntilClose); without that, before it. */
    private static void corkUntilClose(SocketChannel client) {
        try {
            LinuxTcp.corkUntilClose(LinuxTcp.fd(client));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "no TCP_CORK: " + e.getMessage());
        }
    }

    /** The response read whole, its head saying "Connection: close" (the client asked for it). */
    private static ByteBuffer closingResponse(Parked p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.responseLength + 32);
        HttpInput.writeHead(out, p.response, 0, p.responseHeadEnd, p.responseHead, true);
        out.write(p.response, p.responseHeadEnd, p.responseLength - p.responseHeadEnd);
        return ByteBuffer.wrap(out.toByteArray());
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

    /**
     * Stops watching the connection; after this pass of the loop it goes back to a thread, with the
     * request in flight ({@code inFlight}) and the connection it went over.
     */
    private void handBack(Parked p, boolean inFlight) {
        p.clientKey.cancel();
        if (p.serverKey != null) {
            p.serverKey.cancel();
        }
        if (p.active != null) {
            p.active.cancel();
        }
        p.inFlight = inFlight;
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
                    if (p.webServer != null) {
                        p.webServer.server().configureBlocking(true);
                    }
                    Pending pending = p.inFlight ? pending(p) : null;
                    Runnable work = p.resumer.resume(Arrays.copyOf(p.request, p.requestBytes), p.webServer, pending);
                    ConnectionHandler.startThread(work);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "could not hand a connection back to a thread: " + e.getMessage(), e);
                    close(p);
                }
            }
            leaving.clear();
        }
    }

    /** The request in flight, for the thread that relays its response (from what the loop read of it). */
    private Pending pending(Parked p) throws IOException {
        Upstream upstream;
        if (p.active == p.serverKey) {
            upstream = p.webServer;
        } else {
            SocketChannel relay = (SocketChannel) p.active.channel();
            relay.configureBlocking(true);
            upstream = new Upstream(relay, p.client, config.kernelRelay);
        }
        p.active = null; // the thread's now
        if (p.responseBytes > 0) {
            upstream.preload(Arrays.copyOf(p.response, p.responseBytes));
        }
        return new Pending(p.activeNode, p.path, upstream, p.headRequest, p.keepAlive, p.closing, p.unsent);
    }

    /** Closes the client's connection; its web server's goes to another client where it can (as HAProxy reuses its server connections). */
    private void close(Parked p) {
        if (p.clientKey != null) {
            p.clientKey.cancel();
        }
        try {
            p.client.close();
        } catch (IOException ignored) {
            // already closed
        }
        if (p.webServer != null && p.webServerIdle && p.serverKey.isValid()) {
            p.webServer.detach();
            relays.give(config.nodeId, p.serverKey);
        } else if (p.webServer != null) {
            p.webServer.close();
        }
        if (p.active != null && p.active != p.serverKey) {
            LoopRelays.close(p.active);
        }
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
        /** The connection's own connection to the web server; null until it needs one. */
        Upstream webServer;
        /** The web server's connection is being set up; the request waits in {@link #outgoing}. */
        boolean connecting;
        /** The web server's connection has answered everything it was asked and stays open: another client may have it. */
        boolean webServerIdle;
        /** The web server's connection came from another client and has not answered this one yet. */
        boolean webServerReused;
        final DispatchPolicy.Run run;
        final Resumer resumer;
        SelectionKey clientKey;
        SelectionKey serverKey;
        /** While a request is in flight: the key of the connection it went over (serverKey or a relay's), its node and path. */
        SelectionKey active;
        String activeNode;
        String path;
        byte[] request = new byte[2048];
        int requestBytes;
        /** Of the request in flight, which stays in {@link #request} until its response is whole. */
        int sentLength;
        /** The request as it goes to the server (without the client's "Connection: close" to another node). */
        ByteBuffer outgoing;
        boolean closing;
        byte[] unsent = new byte[0];
        byte[] response = new byte[4096];
        int responseBytes;
        /** Of the whole response (head and body) once its head is read; -1 before. */
        int responseLength = -1;
        HttpInput.Head responseHead;
        int responseHeadEnd;
        boolean headRequest;
        boolean keepAlive;
        boolean serverKeepsOpen;
        ByteBuffer toClient;
        boolean inFlight;

        Parked(SocketChannel client, Upstream webServer, DispatchPolicy.Run run, Resumer resumer) {
            this.client = client;
            this.webServer = webServer;
            this.run = run;
            this.resumer = resumer;
        }
    }
}
