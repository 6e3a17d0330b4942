package org.tcpsplice.controller;

/**
 * Answers ARP requests for the service VIP with the VIP's MAC: the nodes hold the VIP on their
 * loopback with ARP suppressed, so the controller is the one to answer for it.
 */
final class ArpResponder {
    private static final int ETHERTYPE_ARP = 0x0806;

    private ArpResponder() {
    }

    /** The reply to {@code frame} if it is an ARP request for {@code vip}, else null. */
    static byte[] replyFor(byte[] frame, int vip, long vipMac) {
        if (frame.length < 42 || u16(frame, 12) != ETHERTYPE_ARP || u16(frame, 14) != 1 || u16(frame, 16) != 0x0800
                || frame[18] != 6 || frame[19] != 4 || u16(frame, 20) != 1 || u32(frame, 38) != vip) {
            return null;
        }
        byte[] reply = new byte[42];
        System.arraycopy(frame, 22, reply, 0, 6);      // to the requester's MAC
        put48(reply, 6, vipMac);
        reply[12] = 0x08;
        reply[13] = 0x06;
        System.arraycopy(frame, 14, reply, 14, 6);     // htype, ptype, hlen, plen as asked
        reply[20] = 0;
        reply[21] = 2;                                 // reply
        put48(reply, 22, vipMac);                      // sender: the VIP
        System.arraycopy(frame, 38, reply, 28, 4);
        System.arraycopy(frame, 22, reply, 32, 10);    // target: the requester's MAC and IP
        return reply;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u32(byte[] b, int at) {
        return (u16(b, at) << 16) | u16(b, at + 2);
    }

    private static void put48(byte[] b, int at, long v) {
        for (int i = 0; i < 6; i++) {
            b[at + i] = (byte) (v >>> (40 - 8 * i));
        }
    }
}
