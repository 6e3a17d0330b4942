package org.tcpsplice.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.Collectors;

/**
 * The node's side of the controller's REST API (a bearer token or HTTP Basic, JSON), HTTP/1.1 over kept-alive plain
 * sockets: the calling thread writes the request in one write and reads the answer itself. The JDK's
 * HttpClient passed every call through its selector and executor threads; on a busy two-CPU machine
 * those hand-overs took a large share of a handoff's POST.
 *
 * <p>An ONOS cluster has the API at every instance, and only the switch's master takes a handoff (the
 * others answer 503 {@code SWITCH_UNAVAILABLE}, nothing changed). Given several instances, a call goes
 * to the one that answered last; one that does not accept the connection, drops it before answering,
 * or answers that 503 is passed over for the next, so handoffs follow the master when it fails.
 */
final class ControllerClient {
    private static final int CONNECT_TIMEOUT_MS = 3000;
    private static final int ANSWER_TIMEOUT_MS = 10_000;
    /**
     * A connection idle this long is closed here: below the idle time after which the controller's
     * server closes it (the JDK's HTTP server: 30 s), so none sits half-closed in the pool.
     */
    static final long IDLE_LIMIT_NANOS = 20_000_000_000L;
    /** The error code of a refusal that changed nothing because this instance does not program the switch. */
    private static final String NOT_PROGRAMMING = "SWITCH_UNAVAILABLE";

    private final List<Instance> instances;
    /** The Authorization header's value (AgentConfig.authorization). */
    private final String authorization;
    /** The instance that answered last: calls go there first. */
    private volatile int preferred;

    /** {@code base}: the API's http:// URL, e.g. http://10.255.0.254:8181/tcpsplice/v1/ */
    ControllerClient(String base, String authorization) {
        this(List.of(base), authorization);
    }

    /** {@code bases}: the API's http:// URL at each instance of the controller, tried in this order at first. */
    ControllerClient(List<String> bases, String authorization) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("controller: at least one URL is needed");
        }
        this.instances = bases.stream().map(Instance::new).collect(Collectors.toList());
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

    /**
     * The POST at the preferred instance, else at the others in turn. Sending it to a second instance is
     * safe for a handoff too: the one that failed may have recorded it, and the controller answers a
     * repeated handoff as applied (idempotent). A timeout is not passed on: the instance may still be
     * working on the request. With every instance failing, the last instance's answer or failure.
     */
    Reply post(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        int first = preferred;
        IOException failure = null;
        Reply refused = null;
        for (int k = 0; k < instances.size(); k++) {
            int i = (first + k) % instances.size();
            Reply r;
            try {
                r = instances.get(i).call(path, body, authorization);
            } catch (Unreachable e) {
                failure = e;
                continue;
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) { // the connection dropped before the answer
                failure = e;
                continue;
            }
            if (r.status == 503 && instances.size() > 1 && r.body.contains(NOT_PROGRAMMING)) {
                refused = r;
                continue;
            }
            preferred = i;
            return r;
        }
        if (refused != null) {
            return refused;
        }
        throw failure;
    }

    /**
     * Closes the connections idle at {@code now} (System.nanoTime) for longer than {@link #IDLE_LIMIT_NANOS}. The pool grows to the
     * number of threads that called at once (a burst of handoffs) and shrinks here, not at each call.
     */
    void closeIdle(long now) {
        instances.forEach(i -> i.closeIdle(now));
    }

    /** One instance of the controller: its address and the connections kept to it between calls. */
    private static final class Instance {
        private final InetSocketAddress address;
        private final String hostHeader;
        private final String basePath;
        /** Connections between calls; one per thread calling at the same time, at most. */
        private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

        Instance(String base) {
            URI uri = URI.create(base);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("controller: an http:// URL with a host is needed, not '" + base + "'");
            }
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            this.address = new InetSocketAddress(uri.getHost(), port);
            this.hostHeader = uri.getHost() + ":" + port;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            this.basePath = path.endsWith("/") ? path : path + "/";
        }

        /**
         * One request and its answer. A kept-alive connection the controller has closed meanwhile fails
         * before any answer; the request then goes once more on a new connection. A connection that
         * cannot be made throws {@link Unreachable}.
         */
        Reply call(String path, byte[] body, String authorization) throws IOException {
            byte[] request = request(path, body, authorization);
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
            Connection fresh;
            try {
                fresh = Connection.open(address);
            } catch (IOException e) {
                throw new Unreachable("the controller", address, e);
            }
            return answer(fresh, request);
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
                c.idleSince = System.nanoTime();
                idle.addFirst(c); // the most recently used is taken first: the least used grow old and are closed
            } else {
                c.close();
            }
            return new Reply(r.status, new String(r.body, StandardCharsets.UTF_8));
        }

        void closeIdle(long now) {
            for (Connection c : idle) {
                if (now - c.idleSince > IDLE_LIMIT_NANOS && idle.remove(c)) { // remove: unless a caller took it
                    c.close();
                }
            }
        }

        /** A POST of {@code body} (JSON) to {@code path} under the API's base path, head and body in one array. */
        private byte[] request(String path, byte[] body, String authorization) {
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
    }

    /** One kept-alive connection to the controller. */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final HttpInput in;
        /** When it was last given back to the pool (System.nanoTime). */
        volatile long idleSince;

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
