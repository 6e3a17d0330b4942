package org.tcpsplice.core.teardown;

/**
 * A splice's teardown state, packed into the one int the level-1 map keeps on its client key:
 * bits 0-2 record FIN from the client, FIN from the serving node and RST from either; bits 4-31
 * the last activity, in seconds since the tracker started (0 = not seen since it was installed).
 */
public final class CloseState {
    public static final int FIN_FROM_CLIENT = 1;
    public static final int FIN_FROM_NODE = 2;
    public static final int RESET = 4;
    private static final int FLAG_BITS = 4;
    private static final int FLAG_MASK = (1 << FLAG_BITS) - 1;
    /** The largest storable second (about 8.5 years of uptime); later seconds saturate. */
    static final int MAX_SECOND = Integer.MAX_VALUE >>> (FLAG_BITS - 1);

    private CloseState() {
    }

    public static int flags(int state) {
        return state & FLAG_MASK;
    }

    public static int lastActivitySecond(int state) {
        return state >>> FLAG_BITS;
    }

    public static int of(int lastActivitySecond, int flags) {
        return (Math.min(lastActivitySecond, MAX_SECOND) << FLAG_BITS) | (flags & FLAG_MASK);
    }

    /** Both directions closed, or reset. */
    public static boolean closed(int state) {
        int f = flags(state);
        return (f & RESET) != 0 || (f & (FIN_FROM_CLIENT | FIN_FROM_NODE)) == (FIN_FROM_CLIENT | FIN_FROM_NODE);
    }

    public static String describe(int state) {
        int f = flags(state);
        if (f == 0) {
            return "open";
        }
        if ((f & RESET) != 0) {
            return "reset";
        }
        if (closed(state)) {
            return "closed";
        }
        return (f & FIN_FROM_CLIENT) != 0 ? "client closed its side" : "node closed its side";
    }
}
