package org.tcpsplice.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A server that answers one client connection's requests on a connection kept alive between them:
 * the node's own web server, or another node this node relays to (when it does not hand off).
 */
final class Upstream implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Upstream.class.getName());

    private final SocketChannel server;
    private final HttpInput responses;
    /** Moves long response bodies to the client in the kernel; null: through the agent's buffer. */
    private final KernelRelay bodies;
    /** The last exchange ended with a whole response that left the connection open for another. */
    private boolean keptAlive;

    /** {@code kernelRelay}: long response bodies go from {@code server} to {@code client} by splice(2). */
    Upstream(SocketChannel server, SocketChannel client, boolean kernelRelay) {
        this.server = server;
        this.bodies = kernelRelay ? kernelRelay(server, client) : null;
        this.responses = new HttpInput(Channels.newInputStream(server), bodies);
    }

    /**
     * Sends one request and copies its response to {@code out}; returns whether the server keeps the
     * connection open for another (if not, the caller closes this upstream).
     */
    boolean exchange(byte[] request, boolean headRequest, OutputStream out) throws IOException {
        return exchange(request, headRequest, false, out);
    }

    /** As above; {@code closing}: the response reaches the client saying "Connection: close" (HttpInput). */
    boolean exchange(byte[] request, boolean headRequest, boolean closing, OutputStream out) throws IOException {
        keptAlive = false;
        send(request);
        keptAlive = responses.relayResponse(out, headRequest, closing);
        return keptAlive;
    }

    /** Nothing of any response has reached the client through this upstream yet. */
    boolean unanswered() {
        return responses.responseHeads() == 0;
    }

    /**
     * The server's connection, open and with nothing in flight, for another client (RelayConnections);
     * null if it cannot carry another request. This upstream is closed either way.
     */
    SocketChannel release() {
        if (!(keptAlive && idle() && server.isOpen())) {
            close();
            return null;
        }
        if (bodies != null) {
            bodies.close();
        }
        return server;
    }

    void send(byte[] request) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(request);
        while (b.hasRemaining()) {
            server.write(b);
        }
    }

    /** Copies the response to a request already sent (its start may be {@link #preload}ed); as {@link #exchange}. */
    boolean relayResponse(boolean headRequest, OutputStream out) throws IOException {
        keptAlive = responses.relayResponse(out, headRequest);
        return keptAlive;
    }

    /** The last response had a length the keep-alive loop relays itself (KeepAliveLoop.RESPONSE_LIMIT). */
    boolean lastResponseWasShort() {
        long n = responses.lastResponseLength();
        return n >= 0 && n <= KeepAliveLoop.RESPONSE_LIMIT;
    }

    /** The last response's length, head and body; -1 if it had no length (chunked, or until the close). */
    long lastResponseLength() {
        return responses.lastResponseLength();
    }

    /** No response bytes are waiting: the server has answered everything it was asked. */
    boolean idle() {
        return responses.bufferedCount() == 0;
    }

    /** Response bytes the keep-alive loop read from the server go in front of what is still to come. */
    void preload(byte[] readAhead) {
        responses.preload(readAhead);
    }

    SocketChannel server() {
        return server;
    }

    @Override
    public void close() {
        if (bodies != null) {
            bodies.close();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** The kernel relay, or null (bodies through the agent's buffer, as before) where it cannot be set up. */
    private static KernelRelay kernelRelay(SocketChannel server, SocketChannel client) {
        try {
            return new KernelRelay(LinuxTcp.fd(server), LinuxTcp.fd(client));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "responses are copied through the agent: " + e.getMessage());
            return null;
        }
    }
}
