package org.tcpsplice.core.packet;

import java.util.Random;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.testing.FrameBuilder;

/** Test helper: random but well-formed frames and entries, from a seed. */
final class RandomFrames {
    private RandomFrames() {
    }

    /** A frame with random flags, window, payload and option layout (TS and SACK, aligned or not). */
    static byte[] frame(Random r, FourTuple t, int seq, int ack, int tsval, int tsecr, int[] sackEdges) {
        FrameBuilder b = FrameBuilder.tcp(t.srcIp, t.srcPort, t.dstIp, t.dstPort).macs(r.nextLong() & 0xFFFF_FFFF_FFFFL,
                r.nextLong() & 0xFFFF_FFFF_FFFFL).seq(seq).ack(ack).window(r.nextInt(0x10000)).ipId(r.nextInt(0x10000));
        int[] flagChoices = {TcpFlags.ACK, TcpFlags.ACK | TcpFlags.PSH, TcpFlags.ACK | TcpFlags.FIN, TcpFlags.RST,
            TcpFlags.RST | TcpFlags.ACK, TcpFlags.ACK | TcpFlags.URG};
        b.flags(flagChoices[r.nextInt(flagChoices.length)]);
        int leading = r.nextInt(4); // 0..3 NOPs shift the options to any alignment
        for (int i = 0; i < leading; i++) {
            b.nop();
        }
        if (r.nextBoolean()) {
            b.timestampsUnaligned(tsval, tsecr);
        }
        if (sackEdges.length > 0) {
            b.sackUnaligned(sackEdges);
        }
        byte[] payload = new byte[r.nextInt(60)];
        r.nextBytes(payload);
        return b.payload(payload).build();
    }

    static int[] sackEdges(Random r, int around) {
        int blocks = r.nextInt(4); // 0..3 blocks fit next to a timestamp option
        int[] edges = new int[blocks * 2];
        for (int i = 0; i < edges.length; i += 2) {
            edges[i] = around + r.nextInt(1 << 20);
            edges[i + 1] = edges[i] + 1 + r.nextInt(1 << 16);
        }
        return edges;
    }

    static FourTuple tuple(Random r) {
        return new FourTuple(r.nextInt(), 1 + r.nextInt(0xFFFF), r.nextInt(), 1 + r.nextInt(0xFFFF));
    }

    static Level2Entry entry(Random r) {
        return Level2Entry.builder().handoff(r.nextInt(), r.nextInt()).deltas(r.nextInt(), r.nextInt())
                .timestampDeltas(r.nextInt(), r.nextInt()).rewriteTo(tuple(r))
                .macs(r.nextLong() & 0xFFFF_FFFF_FFFFL, r.nextLong() & 0xFFFF_FFFF_FFFFL).outPort(1 + r.nextInt(64))
                .windowShift(r.nextInt(15), r.nextInt(15)).towardClient(r.nextBoolean()).build();
    }
}
