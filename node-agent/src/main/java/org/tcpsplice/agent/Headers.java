package org.tcpsplice.agent;

/** Reads a TCP timestamp option out of raw IPv4+TCP headers (a saved SYN, a captured frame). */
final class Headers {
    private Headers() {
    }

    /** The TSval of the IPv4 packet at {@code ip}, or -1 if it has none or is not TCP over IPv4. */
    static long tsval(byte[] b, int ip) {
        if (b.length < ip + 40 || (b[ip] & 0xF0) != 0x40 || (b[ip + 9] & 0xFF) != 6) {
            return -1;
        }
        int tcp = ip + (b[ip] & 0x0F) * 4;
        if (b.length < tcp + 20) {
            return -1;
        }
        int end = Math.min(b.length, tcp + ((b[tcp + 12] & 0xF0) >>> 4) * 4);
        int at = tcp + 20;
        while (at < end) {
            int kind = b[at] & 0xFF;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                break;
            }
            int len = b[at + 1] & 0xFF;
            if (len < 2 || at + len > end) {
                break;
            }
            if (kind == 8 && len == 10) {
                return ((b[at + 2] & 0xFFL) << 24) | ((b[at + 3] & 0xFFL) << 16) | ((b[at + 4] & 0xFFL) << 8)
                        | (b[at + 5] & 0xFFL);
            }
            at += len;
        }
        return -1;
    }
}
