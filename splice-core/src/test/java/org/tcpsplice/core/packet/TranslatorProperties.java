package org.tcpsplice.core.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.tcpsplice.core.distribution.OwnerTable;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.DataPathAddresses;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.handoff.TcpOptions;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.HandoffProcessor;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.testing.FrameBuilder;
import org.tcpsplice.core.testing.Hex;

/** Properties of the translator over random numbers (all 32-bit, so wraps happen) and option layouts. */
class TranslatorProperties {
    private static final FourTuple CLIENT_KEY = new FourTuple(0x0A000001, 40000, 0x0A000064, 80);
    private static final FourTuple C2 = new FourTuple(0x0A000101, 50000, 0x0A000102, 80);

    /** A handoff with arbitrary numbers, processed for real: returns {forward, reverse}. */
    private static Level2Entry[] handoff(int c1Snd, int c1Rcv, int c2Snd, int c2Rcv, int[] ts) {
        SpliceTables tables = new SpliceTables();
        OwnerTable owners = new OwnerTable();
        owners.record(CLIENT_KEY, C2.srcIp);
        TcpOptions o = TcpOptions.linuxDefaults();
        HandoffOutcome out = new HandoffProcessor(tables, owners).process(new HandoffRequest(C2.srcIp,
                new ConnectionSnapshot(CLIENT_KEY.reversed(), c1Snd, c1Rcv, o, ts[0], ts[1]),
                new ConnectionSnapshot(C2, c2Snd, c2Rcv, o, ts[2], ts[3]),
                new DataPathAddresses(0x0201, 0x0202, 3, 0x0203, 1, 0x0204)));
        assertTrue(out.accepted(), out.toString());
        return new Level2Entry[] {out.forwardEntry, out.reverseEntry};
    }

    /** The entry that undoes {@code e} on a packet it produced, built from the other direction's entry. */
    private static Level2Entry undo(Level2Entry e, Level2Entry otherDirection, FourTuple original, long srcMac, long dstMac) {
        // Numbers: the other direction's entry moves the same spaces the other way round (its ack space is
        // our seq space), so its deltas, swapped, are exactly our inverse.
        return Level2Entry.builder().deltas(otherDirection.ackDelta, otherDirection.seqDelta)
                .timestampDeltas(otherDirection.tsecrDelta, otherDirection.tsvalDelta)
                .rewriteTo(original).macs(srcMac, dstMac).windowShift(e.windowShiftTo, e.windowShiftFrom).build();
    }

    @Property(tries = 400)
    void forwardThenReverseIsTheIdentity(@ForAll int c1Snd, @ForAll int c1Rcv, @ForAll int c2Snd, @ForAll int c2Rcv,
                                         @ForAll int tsA, @ForAll int tsB, @ForAll int tsC, @ForAll int tsD,
                                         @ForAll @IntRange(min = 0, max = 1 << 30) int advance,
                                         @ForAll int tsval, @ForAll int tsecr, @ForAll long seed) {
        Level2Entry[] e = handoff(c1Snd, c1Rcv, c2Snd, c2Rcv, new int[] {tsA, tsB, tsC, tsD});
        Random r = new Random(seed);
        TcpFrame f = new TcpFrame();

        // A client packet at or after the handoff point, through the forward entry and back.
        byte[] client = RandomFrames.frame(r, CLIENT_KEY, c1Rcv + advance, c1Snd + advance / 2, tsval, tsecr,
                RandomFrames.sackEdges(r, c1Snd));
        byte[] original = client.clone();
        assertEquals(FrameStatus.OK, f.parse(client, 0, client.length));
        long srcMac = f.srcMac();
        long dstMac = f.dstMac();
        PacketTranslator.translate(f, e[0]);
        assertTrue(f.checksumsValid());
        PacketTranslator.translate(f, undo(e[0], e[1], CLIENT_KEY, srcMac, dstMac));
        assertEquals(Hex.of(original), Hex.of(client), "client packet: seq/ack/SACK/TS must come back exactly");

        // A reply from the target node through the reverse entry and back.
        byte[] reply = RandomFrames.frame(r, C2.reversed(), c2Rcv + advance, c2Snd + advance / 3, tsval, tsecr,
                RandomFrames.sackEdges(r, c2Snd));
        byte[] originalReply = reply.clone();
        assertEquals(FrameStatus.OK, f.parse(reply, 0, reply.length));
        srcMac = f.srcMac();
        dstMac = f.dstMac();
        PacketTranslator.translate(f, e[1]);
        PacketTranslator.translate(f, undo(e[1], e[0], C2.reversed(), srcMac, dstMac));
        assertEquals(Hex.of(originalReply), Hex.of(reply), "node reply: seq/ack/SACK/TS must come back exactly");
    }

    @Property(tries = 300)
    void sackBlocksLandInTheTargetsSequenceSpace(@ForAll int c1Snd, @ForAll int c1Rcv, @ForAll int c2Snd,
                                                 @ForAll int c2Rcv, @ForAll int nodeByte) {
        Level2Entry[] e = handoff(c1Snd, c1Rcv, c2Snd, c2Rcv, new int[] {1, 2, 3, 4});
        // The node sends a byte numbered nodeByte; the client sees it (reverse entry) and SACKs it (forward
        // entry): the SACK edge the node receives must name its own byte again.
        int asClientSees = nodeByte + e[1].seqDelta;
        byte[] sack = FrameBuilder.tcp(CLIENT_KEY.srcIp, CLIENT_KEY.srcPort, CLIENT_KEY.dstIp, CLIENT_KEY.dstPort)
                .seq(c1Rcv).ack(c1Snd).timestamps(1, 2).sack(asClientSees, asClientSees + 1).build();
        TcpFrame f = new TcpFrame();
        assertEquals(FrameStatus.OK, f.parse(sack, 0, sack.length));
        PacketTranslator.translate(f, e[0]);
        assertEquals(nodeByte, f.sackLeft(0));
        assertEquals(nodeByte + 1, f.sackRight(0));
    }

    @Property(tries = 1000)
    void checksumsAlwaysVerifyAndMatchARecomputation(@ForAll long seed, @ForAll int seq, @ForAll int ack) {
        Random r = new Random(seed);
        byte[] frame = RandomFrames.frame(r, RandomFrames.tuple(r), seq, ack, r.nextInt(), r.nextInt(),
                RandomFrames.sackEdges(r, ack));
        TcpFrame f = new TcpFrame();
        assertEquals(FrameStatus.OK, f.parse(frame, 0, frame.length));
        PacketTranslator.translate(f, RandomFrames.entry(r));
        assertTrue(f.checksumsValid());
        byte[] recomputed = frame.clone();
        FrameBuilder.fixChecksums(recomputed);
        assertArrayEquals(recomputed, frame);
    }

    @Property(tries = 3000)
    void randomBytesNeverThrow(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame;
        if (r.nextBoolean()) {
            frame = new byte[r.nextInt(120)];
            r.nextBytes(frame);
            if (frame.length > 24 && r.nextBoolean()) { // make the deeper parser reachable
                frame[12] = 0x08;
                frame[13] = 0x00;
                frame[14] = (byte) (0x45 + (r.nextBoolean() ? 0 : r.nextInt(11)));
                frame[23] = 6;
            }
        } else {
            frame = RandomFrames.frame(r, RandomFrames.tuple(r), r.nextInt(), r.nextInt(), 1, 2,
                    RandomFrames.sackEdges(r, 0));
            for (int flips = 1 + r.nextInt(4); flips > 0; flips--) {
                frame[r.nextInt(frame.length)] = (byte) r.nextInt();
            }
            frame = java.util.Arrays.copyOf(frame, r.nextInt(frame.length + 1));
        }
        TcpFrame f = new TcpFrame();
        int offset = r.nextInt(3) - 1;
        int length = frame.length - Math.max(offset, 0) + r.nextInt(3) - 1;
        FrameStatus status = f.parse(frame, offset, length);
        if (status == FrameStatus.OK) {
            PacketTranslator.translate(f, RandomFrames.entry(r));
            f.flags();
            f.segmentLength();
        }
    }
}
