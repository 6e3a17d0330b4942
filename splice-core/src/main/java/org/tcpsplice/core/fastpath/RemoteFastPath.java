package org.tcpsplice.core.fastpath;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;

/**
 * The fast path of a controller that does not run on the switch host (the ONOS app): the same map
 * changes as in process ({@link FastPathMirror}), sent signed to the switch-host agent there
 * ({@code controller/.../switchagent/SwitchHostAgent}), which answers once it has written them.
 *
 * <p>The changes are sent by a thread of its own, outside the caller's lock: what callers wrote while
 * a request was on its way goes in the next one, merged ({@link FastPathBatch#followedBy}), and each
 * {@link #sync}'s future completes when the request that carried its change was answered. A request per
 * change, made under the lock, had serialized every handoff behind one HTTP round trip.
 *
 * <p>Kept in step: a change that did not arrive marks the map as unknown, and so does an agent that
 * answers with another instance id (it restarted); then the whole table is sent again at the next
 * {@link #keepInStep} (about a second later). Callers hold their programming lock for
 * {@link #sync}, {@link #resync}, {@link #keepInStep} and {@link #translatedWithin}.
 */
public final class RemoteFastPath implements FastPath {
    public static final String BATCH = "/fastpath/v1/batch";
    public static final String SEEN = "/fastpath/v1/seen";
    public static final String INSTANCE = "/fastpath/v1/instance";
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static final int READ_TIMEOUT_MS = 5000;
    private static final String INSTANCE_PREFIX = "instance ";

    private final URI agent;
    private final FastPathSignature signature;
    private final FastPathMirror mirror = new FastPathMirror();
    /** The agent instance that holds what the mirror says; null until a resync has reached one. */
    private volatile String inStepWith;
    /** What callers wrote and no request has carried yet, and who waits for it. */
    private final Object queue = new Object();
    private FastPathBatch unsent;
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean sending;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tcpsplice-fast-path-sender");
        t.setDaemon(true);
        return t;
    });

    public RemoteFastPath(URI agent, FastPathSignature signature) {
        this.agent = agent;
        this.signature = signature;
    }

    @Override
    public boolean replacesSpliceRules() {
        return true;
    }

    @Override
    public CompletableFuture<Void> sync(SpliceTables tables, FourTuple clientKey) {
        FastPathBatch batch = mirror.sync(tables, clientKey);
        return batch.isEmpty() ? CompletableFuture.completedFuture(null) : send(batch);
    }

    @Override
    public void resync(SpliceTables tables) throws IOException {
        inStepWith = null;
        try {
            send(mirror.resync(tables)).get(); // each request is bounded by its connect and read timeouts
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the switch-host agent was being resynced");
        }
    }

    /** Queues a batch after everything queued before it; completes when a request carried it. */
    private CompletableFuture<Void> send(FastPathBatch batch) {
        CompletableFuture<Void> carried = new CompletableFuture<>();
        synchronized (queue) {
            unsent = unsent == null ? batch : unsent.followedBy(batch);
            waiting.add(carried);
            if (!sending) {
                sending = true;
                sender.execute(this::sendQueued);
            }
        }
        return carried;
    }

    /** The sender: one request for everything queued, until nothing is. */
    private void sendQueued() {
        while (true) {
            FastPathBatch batch;
            List<CompletableFuture<Void>> these;
            synchronized (queue) {
                if (unsent == null) {
                    sending = false;
                    return;
                }
                batch = unsent;
                these = waiting;
                unsent = null;
                waiting = new ArrayList<>();
            }
            try {
                String answeredBy = instanceIn(call("POST", BATCH, batch.format()));
                if (batch.replacesAll()) {
                    inStepWith = answeredBy;
                } else if (!answeredBy.equals(inStepWith)) {
                    inStepWith = null; // it restarted (or never had the table): keepInStep sends all of it
                }
                these.forEach(f -> f.complete(null));
            } catch (IOException | RuntimeException e) {
                inStepWith = null;
                these.forEach(f -> f.completeExceptionally(e));
            }
        }
    }

    /**
     * Called about once a second: resyncs when a change was lost or the agent is a new instance.
     * Returns whether it resynced.
     */
    public boolean keepInStep(SpliceTables tables) throws IOException {
        if (inStepWith != null && inStepWith.equals(instanceIn(call("GET", INSTANCE, "")))) {
            return false;
        }
        resync(tables);
        return true;
    }

    /** Whether the map holds what this controller wrote, as far as it knows. */
    public boolean inStep() {
        return inStepWith != null;
    }

    @Override
    public boolean translatedWithin(FourTuple clientKey, int seconds) throws IOException {
        String answer = call("POST", SEEN, new SeenQuery(seconds, mirror.translatingKeys(clientKey)).format());
        return answer.equals("seen yes");
    }

    @Override
    public int entries() {
        return mirror.entries();
    }

    @Override
    public String toString() {
        return "xdp through the switch-host agent at " + agent;
    }

    @Override
    public void close() {
        sender.shutdown();
    }

    private static String instanceIn(String answer) throws IOException {
        if (!answer.startsWith(INSTANCE_PREFIX)) {
            throw new IOException("the switch-host agent answered '" + answer + "', not its instance");
        }
        return answer.substring(INSTANCE_PREFIX.length());
    }

    /**
     * The agent's answer (its text, trimmed) to a signed request; anything but 200 is an IOException with
     * it. The answer read to its end, the JDK keeps the connection for the next request.
     */
    private String call(String method, String path, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) agent.resolve(path).toURL().openConnection();
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(READ_TIMEOUT_MS);
        c.setRequestMethod(method);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        c.setRequestProperty(FastPathSignature.HEADER, signature.sign(method, path, body, System.currentTimeMillis()));
        if (method.equals("POST")) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(bytes.length);
            c.setRequestProperty("Content-Type", "text/plain; charset=utf-8");
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status;
        String text;
        try {
            status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            text = in == null ? "" : readAll(in).trim();
        } catch (IOException e) {
            c.disconnect();
            throw e;
        }
        if (status != 200) {
            throw new IOException("the switch-host agent at " + agent + " answered " + status + ": " + text);
        }
        return text;
    }

    private static String readAll(InputStream in) throws IOException {
        try (InputStream i = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = i.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8.name());
        }
    }
}
