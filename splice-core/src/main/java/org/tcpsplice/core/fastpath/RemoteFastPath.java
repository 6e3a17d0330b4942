package org.tcpsplice.core.fastpath;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;

/**
 * The fast path of a controller that does not run on the switch host (the ONOS app): the same map
 * changes as in process ({@link FastPathMirror}), sent signed to the switch-host agent there
 * ({@code controller/.../switchagent/SwitchHostAgent}), which answers once it has written them.
 *
 * <p>Kept in step: a change that did not arrive marks the map as unknown, and so does an agent that
 * answers with another instance id (it restarted); then the whole table is sent again, at once or at
 * the next {@link #keepInStep}. Not thread-safe: callers hold their programming lock.
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
    private String inStepWith;

    public RemoteFastPath(URI agent, FastPathSignature signature) {
        this.agent = agent;
        this.signature = signature;
    }

    @Override
    public boolean replacesSpliceRules() {
        return true;
    }

    @Override
    public void sync(SpliceTables tables, FourTuple clientKey) throws IOException {
        FastPathBatch batch = mirror.sync(tables, clientKey);
        if (batch.isEmpty()) {
            return;
        }
        String answeredBy;
        try {
            answeredBy = instanceIn(call("POST", BATCH, batch.format()));
        } catch (IOException e) {
            inStepWith = null;
            throw e;
        }
        if (!answeredBy.equals(inStepWith)) {
            resync(tables); // the agent restarted (or never had the table): all of it, now
        }
    }

    @Override
    public void resync(SpliceTables tables) throws IOException {
        inStepWith = null;
        inStepWith = instanceIn(call("POST", BATCH, mirror.resync(tables).format()));
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
    }

    private static String instanceIn(String answer) throws IOException {
        if (!answer.startsWith(INSTANCE_PREFIX)) {
            throw new IOException("the switch-host agent answered '" + answer + "', not its instance");
        }
        return answer.substring(INSTANCE_PREFIX.length());
    }

    /** The agent's answer (its text, trimmed) to a signed request; anything but 200 is an IOException with it. */
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
        try {
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : readAll(in).trim();
            if (status != 200) {
                throw new IOException("the switch-host agent at " + agent + " answered " + status + ": " + text);
            }
            return text;
        } finally {
            c.disconnect();
        }
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
