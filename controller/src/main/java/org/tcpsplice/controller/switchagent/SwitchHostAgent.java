package org.tcpsplice.controller.switchagent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpsplice.controller.fastpath.XdpFastPath;
import org.tcpsplice.core.fastpath.FastPathBatch;
import org.tcpsplice.core.fastpath.FastPathMap;
import org.tcpsplice.core.fastpath.FastPathSignature;
import org.tcpsplice.core.fastpath.RemoteFastPath;
import org.tcpsplice.core.fastpath.SeenQuery;

/**
 * The fast path for a controller that does not run on the switch host (the ONOS app): it writes the
 * XDP program's map for it. The controller sends batches ("these keys now hold these values, these
 * are gone", or "exactly these", {@link FastPathBatch}) and asks whether a splice's keys translated
 * lately; every such request must carry the controller's signature ({@link FastPathSignature}), so
 * only the holder of the shared secret changes the map. Answered once the map is written. The
 * controller's side is splice-core's {@link RemoteFastPath}.
 *
 * <ul>
 *   <li>{@code POST /fastpath/v1/batch}: a batch's text; 200 "instance ID".</li>
 *   <li>{@code POST /fastpath/v1/seen}: "within SECONDS" then a key per line; 200 "seen yes" or "seen no".</li>
 *   <li>{@code GET /fastpath/v1/instance} (unsigned): "instance ID". The id is new at every start, so a
 *       controller that sees it change resyncs the map (the pinned map outlives the agent, but a change
 *       sent while it was down is lost).</li>
 * </ul>
 * Refusals: 401 (signature), 400 (malformed), 503 (the map refused a write), each with the reason as text.
 */
public final class SwitchHostAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchHostAgent.class);
    /** A batch of every splice of a large table is a few MB; nothing legitimate is larger. */
    private static final int MAX_BODY = 64 << 20;

    private final FastPathMap map;
    private final FastPathSignature signature;
    private final LongSupplier programSeconds;
    private final String instance = UUID.randomUUID().toString();
    private final HttpServer server;

    public SwitchHostAgent(InetSocketAddress listen, FastPathMap map, FastPathSignature signature,
                           LongSupplier programSeconds) throws IOException {
        this.map = map;
        this.signature = signature;
        this.programSeconds = programSeconds;
        server = HttpServer.create(listen, 64);
        server.createContext(RemoteFastPath.BATCH, this::batch);
        server.createContext(RemoteFastPath.SEEN, this::seen);
        server.createContext(RemoteFastPath.INSTANCE, this::instance);
        // One thread: batches are applied in the order they arrive, each completely.
        server.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, "switch-host-agent")));
    }

    public void start() {
        server.start();
        LOG.info("switch-host agent {} on {}", instance, address());
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public String instance() {
        return instance;
    }

    private void batch(HttpExchange x) throws IOException {
        String body = signedBody(x, "POST");
        if (body == null) {
            return;
        }
        FastPathBatch batch;
        try {
            batch = FastPathBatch.parse(body);
        } catch (IllegalArgumentException e) {
            answer(x, 400, "not a batch: " + e.getMessage());
            return;
        }
        try {
            batch.applyTo(map);
        } catch (IOException e) {
            LOG.warn("the map refused a batch of {}: {}", batch.size(), e.getMessage());
            answer(x, 503, "the map refused a write: " + e.getMessage());
            return;
        }
        LOG.debug("applied {}{} changes", batch.replacesAll() ? "a replace with " : "", batch.size());
        if (batch.replacesAll()) {
            LOG.info("map resynced: {} entries", batch.size());
        }
        answer(x, 200, "instance " + instance);
    }

    private void seen(HttpExchange x) throws IOException {
        String body = signedBody(x, "POST");
        if (body == null) {
            return;
        }
        SeenQuery query;
        try {
            query = SeenQuery.parse(body);
        } catch (IllegalArgumentException e) {
            answer(x, 400, "not a 'seen' request: " + e.getMessage());
            return;
        }
        boolean seen = XdpFastPath.seenWithin(map, query.keys, programSeconds.getAsLong(), query.withinSeconds);
        answer(x, 200, seen ? "seen yes" : "seen no");
    }

    private void instance(HttpExchange x) throws IOException {
        if (!x.getRequestMethod().equals("GET")) {
            answer(x, 405, "GET only");
            return;
        }
        answer(x, 200, "instance " + instance);
    }

    /** The request's body if it is signed and fresh; else it was answered with the reason (null). */
    private String signedBody(HttpExchange x, String method) throws IOException {
        if (!x.getRequestMethod().equals(method)) {
            answer(x, 405, method + " only");
            return null;
        }
        String body;
        try (InputStream in = x.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                answer(x, 413, "more than " + MAX_BODY + " bytes");
                return null;
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        String problem = signature.problem(x.getRequestHeaders().getFirst(FastPathSignature.HEADER), method,
                x.getRequestURI().getPath(), body, System.currentTimeMillis());
        if (problem != null) {
            LOG.warn("refused {} {} from {}: {}", method, x.getRequestURI().getPath(), x.getRemoteAddress(), problem);
            answer(x, 401, problem);
            return null;
        }
        return body;
    }

    private static void answer(HttpExchange x, int status, String text) throws IOException {
        byte[] out = (text + "\n").getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        x.sendResponseHeaders(status, out.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
