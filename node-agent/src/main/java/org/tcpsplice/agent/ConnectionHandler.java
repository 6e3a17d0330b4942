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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Patent Fig. 6 for one client connection (or a connection handed to this node, which looks the
 * same): read each request (620), pick the node from the content rules (630/640), serve it through the
 * local web server (650), or hand the connection off (660-690) and let go of it.
 */
final class ConnectionHandler implements Runnable {
    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class.getName());

    private final SocketChannel client;
    private final long clientSynTsval;
    private final AgentConfig config;
    private final Handoff handoff;
    private final HeldSockets held;
    private final SocketAddress webServer;
    private static final int RESPONSE_BUFFER = 64 * 1024;

    ConnectionHandler(SocketChannel client, long clientSynTsval, AgentConfig config, Handoff handoff, HeldSockets held,
                      SocketAddress webServer) {
        this.client = client;
        this.clientSynTsval = clientSynTsval;
        this.config = config;
        this.handoff = handoff;
        this.held = held;
        this.webServer = webServer;
    }

    @Override
    public void run() {
        boolean handedOff = false;
        // Kept alive across this connection's requests: the web server, and nodes it relays to.
        Map<String, Upstream> upstreams = new HashMap<>();
        try {
            HttpInput in = new HttpInput(Channels.newInputStream(client));
            // Buffered, so that a response's head and a small body leave in one write (relayResponse
            // flushes at its end): written apart, Nagle held the body back until the client's delayed
            // ACK of the head, 40 ms per small response (measured: 253 requests/s of 1 KB).
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(client), RESPONSE_BUFFER);
            HttpInput.Request request;
            while ((request = in.readRequest()) != null) {
                String node = config.handoffs ? config.nodeFor(request.path) : config.nodeId;
                Upstream upstream = upstreams.get(node);
                if (upstream == null) {
                    SocketChannel server;
                    if (node.equals(config.nodeId)) {
                        server = openWebServer();
                    } else if (config.relayOnly) {
                        server = handoff.plainConnection(node);
                    } else {
                        byte[] forward = concat(request.raw, in.buffered());
                        Handoff.Result result = handoff.perform(client, clientSynTsval, node, forward);
                        if (result.spliced) {
                            held.hold(result.spliceId, client, result.c2);
                            handedOff = true;
                            LOG.info("handed " + request.path + " to " + node + " (splice " + result.spliceId + ")");
                            return;
                        }
                        // Not asked again on this connection: a refusal stands, and asking costs a POST
                        // and a new connection per request (once seen: every request of a connection).
                        LOG.warning("no handoff of " + request.path + " to " + node + ": " + result.why
                                + "; this connection's requests for " + node + " are relayed instead");
                        server = result.c2;
                    }
                    upstream = new Upstream(server, client, config.kernelRelay);
                    upstreams.put(node, upstream);
                }
                boolean keepGoing = upstream.exchange(request.raw, "HEAD".equals(request.method), out);
                if (!request.keepAlive || !keepGoing) {
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
            if (!handedOff) {
                close(client);
            }
            upstreams.values().forEach(Upstream::close);
        }
    }

    private SocketChannel openWebServer() throws IOException {
        try {
            return SocketChannel.open(webServer);
        } catch (IOException e) {
            throw new Unreachable("the web server", webServer, e);
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
