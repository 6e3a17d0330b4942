package org.tcpsplice.controller.switchagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.CLIENT_KEY;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpsplice.controller.fastpath.BpfMap;
import org.tcpsplice.core.fastpath.FastPathEncoding;
import org.tcpsplice.core.fastpath.FastPathSignature;
import org.tcpsplice.core.fastpath.RemoteFastPath;
import org.tcpsplice.core.rules.FastPathEntries;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.Privileges;

/**
 * The switch-host agent over HTTP on loopback, writing a real kernel hash map (root), driven by
 * splice-core's RemoteFastPath as the ONOS app drives it: the Figure 2 splice, refusals of anyone
 * without the secret, the idle check, and a resync after the agent restarts.
 */
class SwitchHostAgentTest {
    private static final String SECRET = "a-secret-the-tests-share-0123456789";
    private BpfMap map;
    private SwitchHostAgent agent;
    private RemoteFastPath remote;
    private final Figure2 fig = new Figure2();
    private long programSecond = 1_000;

    @BeforeEach
    void start() throws Exception {
        Privileges.assumeBpf("SwitchHostAgentTest (a real kernel hash map)");
        map = BpfMap.createHash(FastPathEncoding.KEY_SIZE, FastPathEncoding.VALUE_SIZE, 64);
        startAgent();
        remote = new RemoteFastPath(URI.create("http://" + host()), new FastPathSignature(SECRET));
    }

    private void startAgent() throws IOException {
        InetSocketAddress at = agent == null ? new InetSocketAddress("127.0.0.1", 0) : agent.address();
        agent = new SwitchHostAgent(at, map, new FastPathSignature(SECRET), () -> programSecond);
        agent.start();
    }

    private String host() {
        return "127.0.0.1:" + agent.address().getPort();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (map != null) {
            map.close();
        }
    }

    private Set<String> keysInMap() {
        Set<String> keys = new TreeSet<>();
        map.keys().forEach(k -> keys.add(HexFormat.of().formatHex(k)));
        return keys;
    }

    private Set<String> keysOfSplice() {
        Set<String> keys = new TreeSet<>();
        FastPathEntries.of(fig.tables, CLIENT_KEY).keySet()
                .forEach(t -> keys.add(HexFormat.of().formatHex(FastPathEncoding.key(t))));
        return keys;
    }

    @Test
    void theMapFollowsTheSpliceThroughTheAgent() throws Exception {
        remote.resync(fig.tables);
        assertTrue(remote.inStep());
        fig.handOffAToB();
        remote.sync(fig.tables, CLIENT_KEY).get();
        assertEquals(keysOfSplice(), keysInMap());
        fig.handOffBToC();
        remote.sync(fig.tables, CLIENT_KEY).get();
        assertEquals(keysOfSplice(), keysInMap());
        assertArrayEqualsHex(FastPathEncoding.value(FastPathEntries.Held.translating(fig.tables.level2Table(CLIENT_KEY))),
                map.lookup(FastPathEncoding.key(CLIENT_KEY)));
        fig.tables.removeSplice(CLIENT_KEY);
        remote.sync(fig.tables, CLIENT_KEY).get();
        assertEquals(Set.of(), keysInMap());
    }

    /** The second change is written while the first may still be on its way: they arrive in order. */
    @Test
    void changesWrittenBackToBackArriveInOrder() throws Exception {
        remote.resync(fig.tables);
        fig.handOffAToB();
        java.util.concurrent.CompletableFuture<Void> first = remote.sync(fig.tables, CLIENT_KEY);
        fig.handOffBToC();
        java.util.concurrent.CompletableFuture<Void> second = remote.sync(fig.tables, CLIENT_KEY);
        second.get();
        assertTrue(first.isDone() && !first.isCompletedExceptionally(), "carried by the same request or the one before");
        assertEquals(keysOfSplice(), keysInMap());
        assertArrayEqualsHex(FastPathEncoding.value(FastPathEntries.Held.translating(fig.tables.level2Table(CLIENT_KEY))),
                map.lookup(FastPathEncoding.key(CLIENT_KEY)));
        assertTrue(remote.inStep());
    }

    @Test
    void onlyTheHolderOfTheSecretWritesTheMap() throws Exception {
        fig.handOffAToB();
        String batch = "set " + "00".repeat(FastPathEncoding.KEY_SIZE) + " " + "00".repeat(FastPathEncoding.VALUE_SIZE) + "\n";
        assertEquals(401, post(RemoteFastPath.BATCH, batch, null));
        String wrong = new FastPathSignature(SECRET + "-not").sign("POST", RemoteFastPath.BATCH, batch, System.currentTimeMillis());
        assertEquals(401, post(RemoteFastPath.BATCH, batch, wrong));
        String right = new FastPathSignature(SECRET).sign("POST", RemoteFastPath.BATCH, batch, System.currentTimeMillis());
        assertEquals(200, post(RemoteFastPath.BATCH, batch, right));
        map.delete(FastPathEncoding.key(new org.tcpsplice.core.net.FourTuple(0, 0, 0, 0)));
        assertEquals(401, post(RemoteFastPath.BATCH, batch, right), "the same request again is refused");
        assertEquals(Set.of(), keysInMap(), "nothing written by the refused ones");
        assertEquals(400, post(RemoteFastPath.BATCH, "put x\n",
                new FastPathSignature(SECRET).sign("POST", RemoteFastPath.BATCH, "put x\n", System.currentTimeMillis())));
        RemoteFastPath impostor = new RemoteFastPath(URI.create("http://" + host()), new FastPathSignature(SECRET + "-not"));
        IOException e = assertThrows(IOException.class, () -> impostor.resync(fig.tables));
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertFalse(impostor.inStep());
    }

    @Test
    void theIdleCheckAsksTheProgramsClockOnTheSwitchHost() throws Exception {
        fig.handOffAToB();
        remote.resync(fig.tables);
        assertFalse(remote.translatedWithin(CLIENT_KEY, 300), "written by the controller: never translated");
        byte[] key = FastPathEncoding.key(CLIENT_KEY);
        byte[] value = map.lookup(key);
        ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).putInt(52, 900); // the program translated at 900 s
        map.update(key, value);
        assertTrue(remote.translatedWithin(CLIENT_KEY, 300));
        programSecond = 1_300;
        assertFalse(remote.translatedWithin(CLIENT_KEY, 300));
    }

    @Test
    void aRestartedAgentGetsTheWholeTableAgain() throws Exception {
        fig.handOffAToB();
        remote.resync(fig.tables);
        assertFalse(remote.keepInStep(fig.tables), "the same agent: nothing to do");
        agent.close();
        fig.handOffBToC();
        ExecutionException down = assertThrows(ExecutionException.class, () -> remote.sync(fig.tables, CLIENT_KEY).get(),
                "the agent is down");
        assertTrue(down.getCause() instanceof IOException, down.toString());
        assertFalse(remote.inStep());
        for (byte[] k : map.keys()) {
            map.delete(k); // the program reloaded meanwhile: a fresh map
        }
        startAgent();
        assertTrue(remote.keepInStep(fig.tables));
        assertEquals(keysOfSplice(), keysInMap());
        assertTrue(remote.inStep());
    }

    private static void assertArrayEqualsHex(byte[] expected, byte[] actual) {
        assertEquals(HexFormat.of().formatHex(expected), actual == null ? null : HexFormat.of().formatHex(actual));
    }

    private int post(String path, String body, String signature) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host() + path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        if (signature != null) {
            c.setRequestProperty(FastPathSignature.HEADER, signature);
        }
        c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        int status = c.getResponseCode();
        c.disconnect();
        return status;
    }
}
