package org.tcpsplice.core.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.CLIENT_KEY;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.rules.FastPathEntries;
import org.tcpsplice.core.testing.Figure2;

/**
 * The mirror and its batches on the Figure 2 splice, applied to an in-memory fake of the kernel's map
 * (MemoryFastPathMap), and the batches' text form, which the switch-host agent reads.
 */
class FastPathMirrorTest {
    private final Figure2 fig = new Figure2();
    private final FastPathMirror mirror = new FastPathMirror();
    private final MemoryFastPathMap map = new MemoryFastPathMap();

    /** What FastPathEntries says the map must hold for the Figure 2 splice now, in hex. */
    private Map<String, String> expected() {
        Map<String, String> m = new TreeMap<>();
        FastPathEntries.of(fig.tables, CLIENT_KEY).forEach((k, held) -> m.put(FastPathBatch.Hex.of(FastPathEncoding.key(k)),
                FastPathBatch.Hex.of(FastPathEncoding.value(held))));
        return m;
    }

    private Map<String, String> inMap() {
        Map<String, String> m = new TreeMap<>();
        map.elements.forEach((k, v) -> m.put(k, FastPathBatch.Hex.of(v)));
        return m;
    }

    /** Each batch goes through its text form, as it does to the switch-host agent. */
    private void apply(FastPathBatch batch) throws Exception {
        FastPathBatch.parse(batch.format()).applyTo(map);
    }

    @Test
    void theMapFollowsBothHandoffsAndTheEnd() throws Exception {
        fig.handOffAToB();
        apply(mirror.sync(fig.tables, CLIENT_KEY));
        assertEquals(expected(), inMap());
        assertEquals(4, mirror.entries());
        int writes = map.updates;
        assertTrue(mirror.sync(fig.tables, CLIENT_KEY).isEmpty(), "nothing changed: nothing to write");
        fig.handOffBToC();
        FastPathBatch second = mirror.sync(fig.tables, CLIENT_KEY);
        apply(second);
        assertEquals(expected(), inMap());
        assertTrue(map.updates - writes < expected().size(), "only changed values rewritten: " + second);
        assertEquals(expected().size(), mirror.entries());
        fig.tables.removeSplice(CLIENT_KEY);
        apply(mirror.sync(fig.tables, CLIENT_KEY));
        assertEquals(Map.of(), inMap());
        assertEquals(0, mirror.entries());
    }

    @Test
    void aResyncRemovesWhatItDoesNotHoldAndKeepsWhatIsTheSame() throws Exception {
        fig.handOffAToB();
        apply(mirror.sync(fig.tables, CLIENT_KEY));
        byte[] stale = new byte[FastPathEncoding.KEY_SIZE];
        map.update(stale, new byte[FastPathEncoding.VALUE_SIZE]);
        // The program counted an ack down and noted a translation: still the same entry.
        byte[] clientKey = FastPathEncoding.key(CLIENT_KEY);
        byte[] live = map.lookup(clientKey);
        live[50]--;
        live[52] = 7;
        map.update(clientKey, live);
        int writes = map.updates;
        FastPathBatch resync = new FastPathMirror().resync(fig.tables);
        assertTrue(resync.replacesAll());
        apply(resync);
        assertFalse(map.elements.containsKey(FastPathBatch.Hex.of(stale)), "a key no splice holds is gone");
        assertEquals(7, map.lookup(clientKey)[52], "a live entry is not rewritten: its counters go on");
        assertEquals(writes, map.updates, "nothing rewritten");
        fig.handOffBToC();
        apply(new FastPathMirror().resync(fig.tables));
        assertEquals(expected().keySet(), inMap().keySet());
    }

    @Test
    void aReplaceOfNothingEmptiesTheMap() throws Exception {
        fig.handOffAToB();
        apply(mirror.sync(fig.tables, CLIENT_KEY));
        FastPathBatch none = new FastPathMirror().resync(new Figure2().tables);
        assertFalse(none.isEmpty());
        apply(none);
        assertEquals(Map.of(), inMap());
    }

    @Test
    void onlyTranslatingKeysAreAskedWhenTheyLastTranslated() {
        fig.handOffAToB();
        mirror.sync(fig.tables, CLIENT_KEY);
        long translating = FastPathEntries.of(fig.tables, CLIENT_KEY).values().stream()
                .filter(h -> !h.retiredEnd && h.translateBy != null).count();
        assertEquals(translating, mirror.translatingKeys(CLIENT_KEY).size());
        assertTrue(translating > 0 && translating < 4, "the two retired ends do not translate");
    }

    @Test
    void theTextFormRefusesWhatItDoesNotKnow() {
        String key = "00".repeat(FastPathEncoding.KEY_SIZE);
        String other = "01".repeat(FastPathEncoding.KEY_SIZE);
        String value = "00".repeat(FastPathEncoding.VALUE_SIZE);
        assertEquals("replace\nset " + key + " " + value + "\ndelete " + other + "\n",
                FastPathBatch.parse("replace\nset " + key + " " + value + "\ndelete " + other + "\n").format());
        assertThrows(IllegalArgumentException.class, () -> FastPathBatch.parse("put " + key + " " + value));
        assertThrows(IllegalArgumentException.class, () -> FastPathBatch.parse("set " + key + " 00"), "short value");
        assertThrows(IllegalArgumentException.class, () -> FastPathBatch.parse("delete " + "AB".repeat(FastPathEncoding.KEY_SIZE)));
        assertThrows(IllegalArgumentException.class, () -> FastPathBatch.parse("delete " + key + "\nreplace\n"),
                "replace only first");
        assertTrue(FastPathBatch.parse("").isEmpty());
    }
}
