package org.tcpsplice.controller.fastpath;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.tcpsplice.core.fastpath.FastPath;
import org.tcpsplice.core.fastpath.FastPathEncoding;
import org.tcpsplice.core.fastpath.FastPathMap;
import org.tcpsplice.core.fastpath.FastPathMirror;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;

/**
 * The XDP translator's map, written in process (the controller runs on the switch host): the map
 * pinned by {@code dataplane/xdp-offload.sh load}, through {@link BpfMap}.
 */
public final class XdpFastPath implements FastPath {
    private final BpfMap map;
    private final String path;
    private final FastPathMirror mirror = new FastPathMirror();
    /** The program's clock in seconds: bpf_ktime_get_coarse_ns is CLOCK_MONOTONIC, as System.nanoTime on Linux. */
    private final LongSupplier programSeconds;

    /** Over an open map (tests use an unpinned one and their own clock). */
    XdpFastPath(BpfMap map, String path, LongSupplier programSeconds) {
        this.map = map;
        this.path = path;
        this.programSeconds = programSeconds;
    }

    /** Opens the pinned map; fails when it is not there (program not loaded) or not accessible. */
    public static XdpFastPath open(String pinnedMapPath) throws IOException {
        return new XdpFastPath(openMap(pinnedMapPath), pinnedMapPath, XdpFastPath::programSecond);
    }

    /** The pinned map, with the layout of the program's. */
    public static BpfMap openMap(String pinnedMapPath) throws IOException {
        return BpfMap.pinned(pinnedMapPath, FastPathEncoding.KEY_SIZE, FastPathEncoding.VALUE_SIZE);
    }

    /** Now on the program's clock. */
    public static long programSecond() {
        return System.nanoTime() / 1_000_000_000L;
    }

    @Override
    public boolean replacesSpliceRules() {
        return true;
    }

    @Override
    public CompletableFuture<Void> sync(SpliceTables tables, FourTuple clientKey) {
        try {
            mirror.sync(tables, clientKey).applyTo(map);
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void resync(SpliceTables tables) throws IOException {
        mirror.resync(tables).applyTo(map);
    }

    @Override
    public boolean translatedWithin(FourTuple clientKey, int seconds) {
        return seenWithin(map, mirror.translatingKeys(clientKey), programSeconds.getAsLong(), seconds);
    }

    /** Whether the program translated by any of these keys within {@code seconds} before {@code now}. */
    public static boolean seenWithin(FastPathMap map, Iterable<byte[]> keys, long now, int seconds) {
        for (byte[] key : keys) {
            byte[] value = map.lookup(key);
            if (value != null && FastPathEncoding.seenWithin(value, now, seconds)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int entries() {
        return mirror.entries();
    }

    @Override
    public String toString() {
        return "xdp (map " + path + ")";
    }

    @Override
    public void close() {
        map.close();
    }
}
