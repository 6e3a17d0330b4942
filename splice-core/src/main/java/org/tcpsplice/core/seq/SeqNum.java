package org.tcpsplice.core.seq;

/**
 * TCP serial-number arithmetic (RFC 793 section 3.3, RFC 1982 style) for sequence numbers,
 * acknowledgement numbers and timestamps: 32-bit values compared modulo 2^32.
 *
 * <p>Every seq/ack/timestamp comparison in this project goes through here; a plain {@code <}
 * on sequence numbers is wrong as soon as a connection crosses the 2^32 wrap.
 * Values are carried in Java {@code int}s and interpreted as unsigned 32-bit.
 */
public final class SeqNum {
    private SeqNum() {
    }

    /** {@code a + delta} modulo 2^32. */
    public static int add(int a, int delta) {
        return a + delta; // int overflow is exactly modulo 2^32
    }

    /** The signed distance from {@code b} to {@code a}: positive when {@code a} is after {@code b}. */
    public static int distance(int a, int b) {
        return a - b;
    }

    /** True when {@code a} comes strictly before {@code b} in serial order. */
    public static boolean before(int a, int b) {
        return a - b < 0;
    }

    /** True when {@code a} comes strictly after {@code b} in serial order. */
    public static boolean after(int a, int b) {
        return a - b > 0;
    }

    /** True when {@code a} is {@code b} or after it. */
    public static boolean atOrAfter(int a, int b) {
        return a - b >= 0;
    }

    /** True when {@code a} is {@code b} or before it. */
    public static boolean atOrBefore(int a, int b) {
        return a - b <= 0;
    }

    /** The unsigned value, for printing and JSON. */
    public static long unsigned(int a) {
        return a & 0xFFFF_FFFFL;
    }
}
