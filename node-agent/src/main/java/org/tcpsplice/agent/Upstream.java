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
    private final SocketChannel client;
    private final HttpInput responses;
    /**
     * Moves long response bodies to the client in the kernel; made for the first long body (a pipe
     * per connection otherwise, for the many that never have one; and the keep-alive loop makes
     * upstreams of non-blocking sockets, which splice(2) cannot serve); null: none yet, or through the
     * agent's buffer.
     */
    private KernelRelay bodies;
    private boolean kernelRelay;
    /** The last exchange ended with a whole response that left the connection open for another. */
    private boolean keptAlive;

    /** {@code kernelRelay}: long response bodies go from {@code server} to {@code client} by splice(2). */
    Upstream(SocketChannel server, SocketChannel client, boolean kernelRelay) {
        this.server = server;
        this.client = client;
        this.kernelRelay = kernelRelay;
        this.responses = new HttpInput(Channels.newInputStream(server), this::bodies);
    }

    /** The kernel relay, made when first asked for; null where it cannot be set up (bodies through the agent's buffer, as before). */
    private KernelRelay bodies() {
        if (bodies == null && kernelRelay) {
            kernelRelay = false; // one try
            try {
                bodies = new KernelRelay(LinuxTcp.fd(server), LinuxTcp.fd(client));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "responses are copied through the agent: " + e.getMessage());
            }
        }
        return bodies;
    }

    /**
     * Sends one request and copies its response to {@code out}; returns whether the server keeps the
     * connection open for another (if not, the caller closes this upstream). {@code closing}: the
     * response reaches the client saying "Connection: close" (HttpInput).
     */
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
        return detach();
    }

    /** The server's connection, left open for another user (who knows it has nothing in flight); the kernel relay closed. */
    SocketChannel detach() {
        if (bodies != null) {
            bodies.close();
            bodies = null;
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
    boolean relayResponse(boolean headRequest, boolean closing, OutputStream out) throws IOException {
        keptAlive = responses.relayResponse(out, headRequest, closing);
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

}
