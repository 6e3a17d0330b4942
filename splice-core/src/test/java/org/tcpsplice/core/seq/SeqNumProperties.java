package org.tcpsplice.core.seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Serial-number arithmetic modulo 2^32. */
class SeqNumProperties {

    @Property
    void aNumberAdvancedByLessThanHalfTheSpaceIsAfter(@ForAll int a, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int d) {
        int b = SeqNum.add(a, d);
        assertTrue(SeqNum.after(b, a));
        assertTrue(SeqNum.before(a, b));
        assertTrue(SeqNum.atOrAfter(b, a));
        assertFalse(SeqNum.atOrBefore(b, a));
        assertEquals(d, SeqNum.distance(b, a));
    }

    @Property
    void orderIsAntisymmetric(@ForAll int a, @ForAll int b) {
        if (a != b && SeqNum.distance(a, b) != Integer.MIN_VALUE) {
            assertTrue(SeqNum.after(a, b) ^ SeqNum.after(b, a));
        }
        assertTrue(SeqNum.atOrAfter(a, a) && SeqNum.atOrBefore(a, a));
    }

    @Example
    void acrossTheWrap() {
        int nearTop = 0xFFFF_FF00; // 4294967040
        int pastWrap = 0x0000_0100; // 256
        assertTrue(SeqNum.after(pastWrap, nearTop), "256 follows 2^32-256 although it is smaller unsigned");
        assertEquals(512, SeqNum.distance(pastWrap, nearTop));
        assertEquals(4294967040L, SeqNum.unsigned(nearTop));
    }
}
