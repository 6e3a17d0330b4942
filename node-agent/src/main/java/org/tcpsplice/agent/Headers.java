package org.tcpsplice.agent;

import org.tcpsplice.core.packet.FrameStatus;
import org.tcpsplice.core.packet.TcpFrame;

/**
 * The TCP timestamp of raw IPv4+TCP headers (a saved SYN, a captured frame), read by splice-core's
 * frame parser so that the agent and the switch agree on what a well-formed option list is.
 */
final class Headers {
    private static final int ETHERNET = 14;

    private Headers() {
    }

    /** The TSval of the IPv4 packet at {@code ip} in {@code b}, or -1 if it has none or is not TCP over IPv4. */
    static long tsval(byte[] b, int ip) {
        if (ip < 0 || ip > b.length) {
            return -1;
        }
        // The parser reads whole frames: put an IPv4 Ethernet header in front of the packet.
        byte[] frame = new byte[ETHERNET + b.length - ip];
        frame[12] = 0x08;
        System.arraycopy(b, ip, frame, ETHERNET, b.length - ip);
        TcpFrame f = new TcpFrame();
        if (f.parse(frame, 0, frame.length) != FrameStatus.OK || !f.hasTimestamps()) {
            return -1;
        }
        return f.tsval() & 0xFFFF_FFFFL;
    }
}
