package org.tcpsplice.core.packet;

/**
 * Internet checksums: from scratch (RFC 1071) and incremental (RFC 1624, eqn. 3:
 * HC' = ~(~HC + ~m + m')). An incremental update of a correct checksum equals a recomputation
 * from scratch, including the one's-complement zero (both never produce 0xFFFF).
 *
 * <p>Incremental use: {@code acc = begin(oldChecksum)}, then {@code replace16/replace32} for each
 * changed field, then {@code finish(acc)}. The accumulator is an unfolded 32-bit sum; a frame's
 * worth of replacements cannot overflow it.
 */
public final class Checksum {
    private Checksum() {
    }

    public static int begin(int checksum) {
        return ~checksum & 0xFFFF;
    }

    public static int replace16(int acc, int oldWord, int newWord) {
        return acc + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
    }

    /**
     * A 32-bit field. At an odd offset from the start of the checksummed data (TCP options need not
     * be aligned) each byte sits in the other half of its 16-bit word; its contribution is the
     * byte-swapped one, since one's-complement sums commute with byte swapping (RFC 1071 section 2(B)).
     */
    public static int replace32(int acc, int oldValue, int newValue, boolean oddOffset) {
        int oldHi = oldValue >>> 16;
        int oldLo = oldValue & 0xFFFF;
        int newHi = newValue >>> 16;
        int newLo = newValue & 0xFFFF;
        if (oddOffset) {
            oldHi = swap(oldHi);
            oldLo = swap(oldLo);
            newHi = swap(newHi);
            newLo = swap(newLo);
        }
        return replace16(replace16(acc, oldHi, newHi), oldLo, newLo);
    }

    public static int finish(int acc) {
        return ~fold(acc) & 0xFFFF;
    }

    private static int swap(int word) {
        return ((word & 0xFF) << 8) | (word >>> 8);
    }

    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** One's-complement sum of bytes [off, off+len), odd length padded with a zero byte. */
    public static long sum(byte[] b, int off, int len) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if (i < len) {
            sum += (b[off + i] & 0xFF) << 8;
        }
        return sum;
    }

    /** The IPv4 header checksum computed from scratch (the checksum field counted as zero). */
    public static int ipv4Header(byte[] b, int ipOff, int headerLength) {
        long s = sum(b, ipOff, headerLength) - (((b[ipOff + 10] & 0xFF) << 8) | (b[ipOff + 11] & 0xFF));
        return ~fold(s) & 0xFFFF;
    }

    /** The TCP checksum computed from scratch over pseudo-header and segment (field counted as zero). */
    public static int tcp(byte[] b, int ipOff, int tcpOff, int segmentLength) {
        long s = sum(b, ipOff + 12, 8) + 6 + segmentLength + sum(b, tcpOff, segmentLength)
                - (((b[tcpOff + 16] & 0xFF) << 8) | (b[tcpOff + 17] & 0xFF));
        return ~fold(s) & 0xFFFF;
    }
}
