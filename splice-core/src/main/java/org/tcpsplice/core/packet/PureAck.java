package org.tcpsplice.core.packet;

import java.util.Arrays;

/** A copy of a TCP segment with its payload cut off (IP length and both checksums recomputed). */
public final class PureAck {
    private static final int ETHERNET = 14;

    private PureAck() {
    }

    /** {@code f} is {@code frame} parsed (from its first byte); the result is a new array. */
    public static byte[] of(byte[] frame, TcpFrame f) {
        int payload = f.payloadLength();
        byte[] ack = Arrays.copyOf(frame, frame.length - payload - paddingAfter(frame));
        int ip = ETHERNET;
        int ihl = (ack[ip] & 0x0F) * 4;
        int total = ack.length - ETHERNET;
        ack[ip + 2] = (byte) (total >>> 8);
        ack[ip + 3] = (byte) total;
        ack[ip + 13 + ihl] &= ~0x09; // no PSH, no FIN: nothing but the acknowledgement
        Bytes.put16(ack, ip + 10, Checksum.ipv4Header(ack, ip, ihl));
        Bytes.put16(ack, ip + ihl + 16, Checksum.tcp(ack, ip, ip + ihl, total - ihl));
        return ack;
    }

    /** The destination IP of a copy made by {@link #of}: the node it is meant for. */
    public static int dstIp(byte[] ack) {
        return Bytes.u32(ack, ETHERNET + 16);
    }

    private static int paddingAfter(byte[] frame) {
        return frame.length - ETHERNET - Bytes.u16(frame, ETHERNET + 2);
    }
}
