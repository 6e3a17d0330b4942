package org.tcpsplice.controller.fastpath;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.FastPathEntries;

/**
 * The XDP translator's map, written in process (the controller runs on the switch host): the map
 * pinned by {@code dataplane/xdp-offload.sh load}, through {@link BpfMap}.
 */
public final class XdpFastPath implements FastPath {
    private final BpfMap map;
    private final String path;
    /**
     * Per splice, what this controller wrote under each key: a sync deletes the keys that no longer
     * apply and rewrites only changed values (a rewrite would restart an entry's count of acks left to
     * the controller).
     */
    private final Map<FourTuple, Map<FourTuple, byte[]>> written = new HashMap<>();
    private int entries;
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
        return new XdpFastPath(BpfMap.pinned(pinnedMapPath, FastPathEncoding.KEY_SIZE, FastPathEncoding.VALUE_SIZE),
                pinnedMapPath, () -> System.nanoTime() / 1_000_000_000L);
    }

    @Override
    public boolean replacesSpliceRules() {
        return true;
    }

    @Override
    public void sync(SpliceTables tables, FourTuple clientKey) throws IOException {
        Map<FourTuple, byte[]> before = written.getOrDefault(clientKey, Map.of());
        Map<FourTuple, byte[]> now = new HashMap<>();
        for (Map.Entry<FourTuple, FastPathEntries.Held> e : FastPathEntries.of(tables, clientKey).entrySet()) {
            byte[] value = FastPathEncoding.value(e.getValue());
            if (!Arrays.equals(value, before.get(e.getKey()))) {
                map.update(FastPathEncoding.key(e.getKey()), value);
            }
            now.put(e.getKey(), value);
        }
        for (FourTuple gone : before.keySet()) {
            if (!now.containsKey(gone)) {
                map.delete(FastPathEncoding.key(gone));
            }
        }
        entries += now.size() - before.size();
        if (now.isEmpty()) {
            written.remove(clientKey);
        } else {
            written.put(clientKey, now);
        }
    }

    @Override
    public void resync(SpliceTables tables) throws IOException {
        for (byte[] key : map.keys()) {
            map.delete(key);
        }
        written.clear();
        entries = 0;
        for (FourTuple clientKey : tables.clientKeys()) {
            sync(tables, clientKey);
        }
    }

    @Override
    public boolean translatedWithin(FourTuple clientKey, int seconds) {
        long now = programSeconds.getAsLong();
        for (Map.Entry<FourTuple, byte[]> e : written.getOrDefault(clientKey, Map.of()).entrySet()) {
            if (!FastPathEncoding.translates(e.getValue())) {
                continue;
            }
            byte[] value = map.lookup(FastPathEncoding.key(e.getKey()));
            if (value != null && FastPathEncoding.seenWithin(value, now, seconds)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int entries() {
        return entries;
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
