package org.tcpsplice.core.packet;

/**
 * Answers ARP requests for the service VIP with the VIP's MAC: the nodes hold the VIP on their
 * loopback with ARP suppressed, so the controller (standalone or ONOS) is the one to answer for it.
 */
public final class ArpResponder {
    private static final int ETHERTYPE_ARP = 0x0806;

    private ArpResponder() {
    }

    /** The reply to {@code frame} if it is an ARP request for {@code vip}, else null. */
    public static byte[] replyFor(byte[] frame, int vip, long vipMac) {
        if (frame.length < 42 || Bytes.u16(frame, 12) != ETHERTYPE_ARP || Bytes.u16(frame, 14) != 1 || Bytes.u16(frame, 16) != 0x0800
                || frame[18] != 6 || frame[19] != 4 || Bytes.u16(frame, 20) != 1 || Bytes.u32(frame, 38) != vip) {
            return null;
        }
        byte[] reply = new byte[42];
        System.arraycopy(frame, 22, reply, 0, 6);      // to the requester's MAC
        Bytes.put48(reply, 6, vipMac);
        reply[12] = 0x08;
        reply[13] = 0x06;
        System.arraycopy(frame, 14, reply, 14, 6);     // htype, ptype, hlen, plen as asked
        reply[20] = 0;
        reply[21] = 2;                                 // reply
        Bytes.put48(reply, 22, vipMac);                      // sender: the VIP
        System.arraycopy(frame, 38, reply, 28, 4);
        System.arraycopy(frame, 22, reply, 32, 10);    // target: the requester's MAC and IP
        return reply;
    }
}
