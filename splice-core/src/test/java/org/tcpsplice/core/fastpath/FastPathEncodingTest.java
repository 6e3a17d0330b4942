package org.tcpsplice.core.fastpath;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The idle check's clock arithmetic on plain values (no kernel): any uptime, and the 32-bit wrap. */
class FastPathEncodingTest {
    private static byte[] seenAt(long second) {
        byte[] value = new byte[FastPathEncoding.VALUE_SIZE];
        ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).putInt(52, (int) second);
        return value;
    }

    @Test
    void neverTranslatedIsNeverRecent() {
        assertFalse(FastPathEncoding.seenWithin(seenAt(0), 5, 300));
        assertFalse(FastPathEncoding.seenWithin(seenAt(0), 1L << 32, 300), "0 stays 'never' at the wrap");
    }

    @Test
    void ageAtSmallUptimes() {
        assertTrue(FastPathEncoding.seenWithin(seenAt(1), 3, 300), "the clock's second 0, written as 1");
        assertTrue(FastPathEncoding.seenWithin(seenAt(200), 220, 300));
        assertFalse(FastPathEncoding.seenWithin(seenAt(200), 220, 20), "20 s old is not within 20 s");
        assertTrue(FastPathEncoding.seenWithin(seenAt(221), 220, 5), "a second ahead is now");
    }

    @Test
    void ageAcrossTheWrapOfTheProgramsSeconds() {
        long now = (1L << 32) + 3;
        assertTrue(FastPathEncoding.seenWithin(seenAt(now - 10), now, 300), "seen before the wrap, read after");
        assertFalse(FastPathEncoding.seenWithin(seenAt(now - 400), now, 300));
        assertTrue(FastPathEncoding.seenWithin(seenAt(now), now, 1));
        assertTrue(FastPathEncoding.seenWithin(seenAt((1L << 32) - 1), (1L << 32) - 1 + 100, 300), "just before");
    }
}
