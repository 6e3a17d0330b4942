package org.tcpsplice.core.fastpath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.FastPathEntries;

/**
 * What a controller has written into the fast path's map, splice by splice, and the batch that makes
 * the map follow the tables ({@link FastPathEntries}). A sync deletes the keys that no longer apply
 * and rewrites only changed values: a rewrite would restart an entry's count of acks left to the
 * controller. Not thread-safe: callers hold their programming lock.
 */
public final class FastPathMirror {
    private final Map<FourTuple, Map<FourTuple, byte[]>> written = new HashMap<>();
    private int entries;

    /**
     * The batch that makes the map hold exactly this splice's entries (none once the splice is gone),
     * recorded as written: the caller applies it, and after a failure resyncs.
     */
    public FastPathBatch sync(SpliceTables tables, FourTuple clientKey) {
        FastPathBatch batch = new FastPathBatch(false);
        Map<FourTuple, byte[]> before = written.getOrDefault(clientKey, Map.of());
        Map<FourTuple, byte[]> now = entriesOf(tables, clientKey);
        now.forEach((key, value) -> {
            if (!Arrays.equals(value, before.get(key))) {
                batch.set(FastPathEncoding.key(key), value);
            }
        });
        for (FourTuple gone : before.keySet()) {
            if (!now.containsKey(gone)) {
                batch.delete(FastPathEncoding.key(gone));
            }
        }
        record(clientKey, now);
        return batch;
    }

    /** The batch that makes the map hold every splice's entries and nothing else (at start, after a loss). */
    public FastPathBatch resync(SpliceTables tables) {
        written.clear();
        entries = 0;
        FastPathBatch batch = new FastPathBatch(true);
        for (FourTuple clientKey : tables.clientKeys()) {
            Map<FourTuple, byte[]> now = entriesOf(tables, clientKey);
            now.forEach((key, value) -> batch.set(FastPathEncoding.key(key), value));
            record(clientKey, now);
        }
        return batch;
    }

    /** The keys of this splice the program translates by: only those note when they last did. */
    public List<byte[]> translatingKeys(FourTuple clientKey) {
        List<byte[]> keys = new ArrayList<>();
        written.getOrDefault(clientKey, Map.of()).forEach((key, value) -> {
            if (FastPathEncoding.translates(value)) {
                keys.add(FastPathEncoding.key(key));
            }
        });
        return keys;
    }

    /** How many map elements are written and not deleted. */
    public int entries() {
        return entries;
    }

    private static Map<FourTuple, byte[]> entriesOf(SpliceTables tables, FourTuple clientKey) {
        Map<FourTuple, byte[]> values = new HashMap<>();
        FastPathEntries.of(tables, clientKey).forEach((key, held) -> values.put(key, FastPathEncoding.value(held)));
        return values;
    }

    private void record(FourTuple clientKey, Map<FourTuple, byte[]> now) {
        entries += now.size() - written.getOrDefault(clientKey, Map.of()).size();
        if (now.isEmpty()) {
            written.remove(clientKey);
        } else {
            written.put(clientKey, now);
        }
    }
}
