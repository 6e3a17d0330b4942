package org.tcpsplice.core.packet;

import org.tcpsplice.core.map.Level2Entry;

/**
 * Patent Fig. 5 step 570 ("build a TCP header using the node data"): rewrites a parsed frame in
 * place by a level-2 entry. MACs, IPs and ports are set; seq, ack, every SACK edge and the
 * timestamps are moved by the entry's deltas; the window is rescaled when the two connections
 * negotiated different window-scale shifts; both checksums are updated incrementally.
 *
 * <p>The ack, TSecr and SACK edges are rewritten only when the ACK flag is set (they mean nothing
 * otherwise, and SYNs carry TSecr 0). The window of a SYN is never scaled (RFC 7323) and is left.
 * This class is the specification the XDP fast path is checked against, byte for byte.
 */
public final class PacketTranslator {
    private PacketTranslator() {
    }

    public static void translate(TcpFrame f, Level2Entry e) {
        byte[] b = f.buf;
        int eth = f.frameOffset;
        Bytes.put48(b, eth, e.newDstMac());
        Bytes.put48(b, eth + 6, e.newSrcMac());

        int ip = f.ipOffset;
        int tcp = f.tcpOffset;
        int oldSrc = Bytes.u32(b, ip + 12);
        int oldDst = Bytes.u32(b, ip + 16);
        int ipAcc = Checksum.begin(Bytes.u16(b, ip + 10));
        ipAcc = Checksum.replace32(ipAcc, oldSrc, e.newSrcIp, false);
        ipAcc = Checksum.replace32(ipAcc, oldDst, e.newDstIp, false);
        Bytes.put32(b, ip + 12, e.newSrcIp);
        Bytes.put32(b, ip + 16, e.newDstIp);
        Bytes.put16(b, ip + 10, Checksum.finish(ipAcc));

        // The TCP checksum covers the pseudo-header addresses too.
        int acc = Checksum.begin(Bytes.u16(b, tcp + 16));
        acc = Checksum.replace32(acc, oldSrc, e.newSrcIp, false);
        acc = Checksum.replace32(acc, oldDst, e.newDstIp, false);
        acc = Checksum.replace32(acc, Bytes.u32(b, tcp), (e.newSrcPort << 16) | e.newDstPort, false);
        Bytes.put16(b, tcp, e.newSrcPort);
        Bytes.put16(b, tcp + 2, e.newDstPort);

        acc = add32(b, tcp, tcp + 4, e.seqDelta, acc);
        int flags = f.flags();
        boolean hasAck = (flags & TcpFlags.ACK) != 0;
        if (hasAck) {
            acc = add32(b, tcp, tcp + 8, e.ackDelta, acc);
        }
        if (e.windowShiftFrom != e.windowShiftTo && (flags & TcpFlags.SYN) == 0) {
            int oldWindow = Bytes.u16(b, tcp + 14);
            int newWindow = rescaleWindow(oldWindow, e.windowShiftFrom, e.windowShiftTo);
            acc = Checksum.replace16(acc, oldWindow, newWindow);
            Bytes.put16(b, tcp + 14, newWindow);
        }
        if (f.timestampOption >= 0) {
            acc = add32(b, tcp, f.timestampOption + 2, e.tsvalDelta, acc);
            if (hasAck) {
                acc = add32(b, tcp, f.timestampOption + 6, e.tsecrDelta, acc);
            }
        }
        if (f.sackOption >= 0 && hasAck) {
            // SACK edges name bytes of the other direction: they live in the ack space.
            for (int i = 0; i < f.sackBlocks; i++) {
                acc = add32(b, tcp, f.sackOption + 2 + 8 * i, e.ackDelta, acc);
                acc = add32(b, tcp, f.sackOption + 6 + 8 * i, e.ackDelta, acc);
            }
        }
        Bytes.put16(b, tcp + 16, Checksum.finish(acc));
    }

    /** Adds delta to the 32-bit field at {@code at}, folding the change into the TCP checksum accumulator. */
    private static int add32(byte[] b, int tcp, int at, int delta, int acc) {
        int old = Bytes.u32(b, at);
        int updated = old + delta;
        Bytes.put32(b, at, updated);
        return Checksum.replace32(acc, old, updated, ((at - tcp) & 1) != 0);
    }

    /**
     * The same window in the other connection's units: {@code window << from >> to}, at most 65535,
     * and never rounded down to zero (a zero window would stall the sender into persist probes).
     */
    public static int rescaleWindow(int window, int from, int to) {
        long bytes = (long) window << from;
        long scaled = bytes >> to;
        if (scaled > 0xFFFF) {
            return 0xFFFF;
        }
        if (scaled == 0 && window != 0) {
            return 1;
        }
        return (int) scaled;
    }
}
