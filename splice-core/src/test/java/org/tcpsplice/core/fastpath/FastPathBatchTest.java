package org.tcpsplice.core.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batches merged as a remote fast path sends them (several callers' changes in one request): the merged
 * batch leaves the map as the batches one after the other would (on MemoryFastPathMap, a fake).
 */
class FastPathBatchTest {
    private static byte[] key(int n) {
        byte[] k = new byte[FastPathEncoding.KEY_SIZE];
        k[0] = (byte) n;
        return k;
    }

    private static byte[] value(int n) {
        byte[] v = new byte[FastPathEncoding.VALUE_SIZE];
        Arrays.fill(v, 0, 8, (byte) n);
        return v;
    }

    private static MemoryFastPathMap applied(List<FastPathBatch> batches) throws IOException {
        MemoryFastPathMap map = new MemoryFastPathMap();
        for (FastPathBatch b : batches) {
            b.applyTo(map);
        }
        return map;
    }

    /** Fresh batches each time: followedBy changes the batch it is called on. */
    private static List<FastPathBatch> changes() {
        return List.of(
                new FastPathBatch(false).set(key(1), value(1)).set(key(2), value(2)),
                new FastPathBatch(false).delete(key(1)).set(key(3), value(3)),
                new FastPathBatch(false).set(key(1), value(4)).delete(key(2)),
                new FastPathBatch(false).delete(key(3)));
    }

    @Test
    void aMergedBatchLeavesTheMapAsTheBatchesInTurnWould() throws IOException {
        FastPathBatch merged = null;
        for (FastPathBatch b : changes()) {
            merged = merged == null ? b : merged.followedBy(b);
        }
        assertEquals(applied(changes()).elements.keySet(), applied(List.of(merged)).elements.keySet());
        assertEquals(FastPathBatch.Hex.of(value(4)),
                FastPathBatch.Hex.of(applied(List.of(merged)).lookup(key(1))), "a key deleted and set again holds the later value");
        assertEquals("set " + FastPathBatch.Hex.of(key(1)) + " " + FastPathBatch.Hex.of(value(4)) + "\n"
                + "delete " + FastPathBatch.Hex.of(key(2)) + "\n" + "delete " + FastPathBatch.Hex.of(key(3)) + "\n",
                merged.format(), "each key once: the later change");
    }

    @Test
    void aReplaceOfEverythingMakesWhatCameBeforeIrrelevant() throws IOException {
        FastPathBatch replace = new FastPathBatch(true).set(key(5), value(5));
        FastPathBatch merged = new FastPathBatch(false).set(key(1), value(1)).followedBy(replace);
        assertSame(replace, merged);
        FastPathBatch after = replace.followedBy(new FastPathBatch(false).set(key(6), value(6)));
        MemoryFastPathMap map = new MemoryFastPathMap();
        map.update(key(9), value(9));
        after.applyTo(map);
        assertEquals(List.of(FastPathBatch.Hex.of(key(5)), FastPathBatch.Hex.of(key(6))), List.copyOf(map.elements.keySet()),
                "still a replace: the stale key goes, the later change stays");
    }
}
