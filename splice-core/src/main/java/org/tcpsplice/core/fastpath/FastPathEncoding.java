package org.tcpsplice.core.fastpath;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.FastPathEntries;

/**
 * A splice's tuple and what the program holds for it (its newest level-2 entry, a retired end's
 * limits, or nothing but a tag) in the XDP program's map layout
 * ({@code dataplane/xdp/splice_xdp.h}): addresses and ports in network order as on the wire, the
 * numbers in host order (x86_64: little-endian). dataplane/check-vectors.sh compares this encoding
 * with the C harness's, byte for byte, on every shared vector.
 */
public final class FastPathEncoding {
    public static final int KEY_SIZE = 12;
    public static final int VALUE_SIZE = 56;
    /** The flags byte, and its values for a key the program only tags and for a retired end (splice_xdp.h). */
    private static final int FLAGS = 51;
    private static final byte TAG_ONLY = 1;
    private static final byte RETIRED_END = 2;
    /** The count of acks the program still leaves to the controller (punt_acks). */
    private static final int PUNT_ACKS = 50;
    /** Where the program notes when the entry last translated a packet (last_seen). */
    private static final int LAST_SEEN = 52;

    private FastPathEncoding() {
    }

    public static byte[] key(FourTuple t) {
        return ByteBuffer.allocate(KEY_SIZE).order(ByteOrder.BIG_ENDIAN)
                .putInt(t.srcIp).putInt(t.dstIp).putShort((short) t.srcPort).putShort((short) t.dstPort).array();
    }

    /** The value for a tuple the program holds {@code held} for. */
    public static byte[] value(FastPathEntries.Held held) {
        ByteBuffer b = ByteBuffer.allocate(VALUE_SIZE).order(ByteOrder.nativeOrder());
        if (held.retiredEnd) {
            // handoff_seq and handoff_ack: the last seq and ack it may still send (the program's limits).
            return b.putInt(held.lastSeq).putInt(held.lastAck).put(FLAGS, RETIRED_END).array();
        }
        Level2Entry e = held.translateBy;
        if (e == null) {
            return b.put(FLAGS, TAG_ONLY).array();
        }
        b.putInt(e.handoffSeq).putInt(e.handoffAck).putInt(e.seqDelta).putInt(e.ackDelta)
                .putInt(e.tsvalDelta).putInt(e.tsecrDelta);
        b.order(ByteOrder.BIG_ENDIAN).putInt(e.newSrcIp).putInt(e.newDstIp)
                .putShort((short) e.newSrcPort).putShort((short) e.newDstPort);
        putMac(b, e.newSrcMac());
        putMac(b, e.newDstMac());
        byte puntAcks = (byte) (e.towardClient ? Level2Entry.FORWARDER_ACKS : 0);
        b.put(e.windowShiftFrom).put(e.windowShiftTo).put(puntAcks).put((byte) 0);
        return b.array(); // last_seen 0: the program has translated nothing by it yet
    }

    /** Whether the value (as written, or as read back) is one the program translates by. */
    public static boolean translates(byte[] value) {
        return value[FLAGS] == 0;
    }

    /**
     * Whether the program translated by this value within {@code seconds} before {@code nowSecond} of
     * its clock. last_seen is that clock's seconds cut to 32 bits, and 0 means never (the program writes
     * 1 in the clock's second 0), so the age is taken in 32-bit serial arithmetic: right at any uptime,
     * across the wrap after 2^32 seconds, and a second "ahead" (System.nanoTime and the program's coarse
     * clock may straddle a second) counts as now.
     */
    public static boolean seenWithin(byte[] value, long nowSecond, int seconds) {
        int seen = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt(LAST_SEEN);
        return seen != 0 && (int) nowSecond - seen < seconds;
    }

    /**
     * Whether two values hold the same entry: equal but for what the program itself counts down or
     * notes (punt_acks, last_seen). Rewriting such a value would only restart those.
     */
    public static boolean sameEntry(byte[] a, byte[] b) {
        for (int i = 0; i < VALUE_SIZE; i++) {
            if (i != PUNT_ACKS && (i < LAST_SEEN || i >= LAST_SEEN + 4) && a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] checkedKey(byte[] key) {
        return checked(key, KEY_SIZE, "key");
    }

    static byte[] checkedValue(byte[] value) {
        return checked(value, VALUE_SIZE, "value");
    }

    private static byte[] checked(byte[] bytes, int size, String what) {
        if (bytes.length != size) {
            throw new IllegalArgumentException("a map " + what + " is " + size + " bytes, not " + bytes.length);
        }
        return bytes;
    }

    private static void putMac(ByteBuffer b, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            b.put((byte) (mac >>> shift));
        }
    }
}
