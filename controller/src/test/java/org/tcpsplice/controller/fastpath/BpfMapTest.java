package org.tcpsplice.controller.fastpath;

import org.tcpsplice.core.fastpath.FastPathEncoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.rules.FastPathEntries;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.Privileges;

/** The fast path's map through the real bpf() syscall (root): the Figure 2 entries written, read, deleted. */
class BpfMapTest {
    @Test
    void entriesGoInComeBackAndGo() throws Exception {
        Privileges.assumeBpf("BpfMapTest (the bpf() syscall)");
        Figure2 fig = Figure2.afterBothHandoffs();
        Level2Entry toC = fig.tables.level2Table(Figure2.CLIENT_KEY);
        byte[] key = FastPathEncoding.key(Figure2.CLIENT_KEY);
        byte[] value = FastPathEncoding.value(FastPathEntries.Held.translating(toC));
        assertEquals(FastPathEncoding.KEY_SIZE, key.length);
        assertEquals(FastPathEncoding.VALUE_SIZE, value.length);
        try (BpfMap map = BpfMap.createHash(FastPathEncoding.KEY_SIZE, FastPathEncoding.VALUE_SIZE, 16)) {
            assertNull(map.lookup(key));
            map.update(key, value);
            assertArrayEquals(value, map.lookup(key));
            byte[] reverseKey = FastPathEncoding.key(Figure2.C3.reversed());
            byte[] reverseValue = FastPathEncoding.value(FastPathEntries.Held.translating(fig.tables.level2Table(Figure2.C3.reversed())));
            map.update(reverseKey, reverseValue);
            assertEquals(2, map.keys().size(), "both keys are listed");
            assertTrue(map.delete(key));
            assertNull(map.lookup(key));
            assertFalse(map.delete(key), "deleting a missing key says so");
            assertArrayEquals(reverseValue, map.lookup(reverseKey));
            assertEquals(1, map.keys().size());
            assertArrayEquals(reverseKey, map.keys().get(0));
        }
    }
}
