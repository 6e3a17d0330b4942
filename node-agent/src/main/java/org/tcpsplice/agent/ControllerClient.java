package org.tcpsplice.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The node's side of the controller's REST API (a bearer token or HTTP Basic, JSON), HTTP/1.1 over kept-alive plain
 * sockets: the calling thread writes the request in one write and reads the answer itself. The JDK's
 * HttpClient passed every call through its selector and executor threads; on a busy two-CPU machine
 * those hand-overs took a large share of a handoff's POST.
 */
final class ControllerClient {
    private static final int CONNECT_TIMEOUT_MS = 3000;
    private static final int ANSWER_TIMEOUT_MS = 10_000;

    private final InetSocketAddress address;
    private final String hostHeader;
    private final String basePath;
    /** The Authorization header's value (AgentConfig.authorization). */
    private final String authorization;
    /** Connections between calls; one per thread calling at the same time, at most. */
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    /** {@code base}: the API's http:// URL, e.g. http://10.255.0.254:8181/tcpsplice/v1/ */
    ControllerClient(String base, String authorization) {
        URI uri = URI.create(base);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("controller: an http:// URL with a host is needed, not '" + base + "'");
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        this.address = new InetSocketAddress(uri.getHost(), port);
        this.hostHeader = uri.getHost() + ":" + port;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path : path + "/";
        this.authorization = authorization;
    }

    /** The controller's answer: status and body. */
    static final class Reply {
        final int status;
        final String body;

        Reply(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    Reply post(String path, String json) throws IOException {
        return call(path, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One request and its answer. A kept-alive connection the controller has closed meanwhile fails
     * before any answer; the request then goes once more on a new connection. That is safe for a
     * handoff too: the controller answers a repeated handoff as applied (idempotent). A timeout is
     * not retried: the controller may still be working on the request.
     */
    private Reply call(String path, byte[] body) throws IOException {
        byte[] request = request(path, body);
        Connection reused = idle.pollFirst();
        if (reused != null) {
            try {
                return answer(reused, request);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException stale) {
                // closed by the controller while idle: once more below, on a new connection
            }
        }
        return answer(Connection.open(address), request);
    }

    private Reply answer(Connection c, byte[] request) throws IOException {
        HttpInput.Response r;
        try {
            r = c.exchange(request);
        } catch (IOException e) {
            c.close();
            throw e;
        }
        if (r.keepAlive) {
            idle.addFirst(c);
        } else {
            c.close();
        }
        return new Reply(r.status, new String(r.body, StandardCharsets.UTF_8));
    }

    /** A POST of {@code body} (JSON) to {@code path} under the API's base path, head and body in one array. */
    private byte[] request(String path, byte[] body) {
        byte[] h = new StringBuilder(256).append("POST ").append(basePath).append(path)
                .append(" HTTP/1.1\r\nHost: ").append(hostHeader)
                .append("\r\nAuthorization: ").append(authorization)
                .append("\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length).append("\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] whole = new byte[h.length + body.length];
        System.arraycopy(h, 0, whole, 0, h.length);
        System.arraycopy(body, 0, whole, h.length, body.length);
        return whole;
    }

    /** One kept-alive connection to the controller. */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final HttpInput in;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new HttpInput(socket.getInputStream());
        }

        static Connection open(InetSocketAddress address) throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(address, CONNECT_TIMEOUT_MS);
                s.setSoTimeout(ANSWER_TIMEOUT_MS);
                return new Connection(s);
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }

        HttpInput.Response exchange(byte[] request) throws IOException {
            out.write(request); // head and body in one write: one segment, no wait for Nagle
            return in.readResponse();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
