package org.tcpsplice.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import org.junit.jupiter.api.Test;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.FrameBuilder;

/** Translation of real frames by the Figure 2 entries, field by field. */
class PacketTranslatorTest {
    private final Figure2 fig = Figure2.afterBothHandoffs();
    private final Level2Entry toC = fig.tables.level2Table(CLIENT_KEY);
    private final Level2Entry fromC = fig.tables.level2Table(C3.reversed());
    private final TcpFrame f = new TcpFrame();

    private byte[] translate(byte[] frame, Level2Entry e) {
        assertEquals(FrameStatus.OK, f.parse(frame, 0, frame.length));
        PacketTranslator.translate(f, e);
        assertEquals(FrameStatus.OK, f.parse(frame, 0, frame.length));
        return frame;
    }

    private void assertChecksumsAsIfFromScratch(byte[] frame) {
        byte[] recomputed = frame.clone();
        FrameBuilder.fixChecksums(recomputed);
        assertEquals(org.tcpsplice.core.testing.Hex.of(recomputed), org.tcpsplice.core.testing.Hex.of(frame),
                "incremental checksums must equal a recomputation from scratch");
        assertTrue(f.checksumsValid());
    }

    @Test
    void clientDataToCIsRewrittenIntoC3() {
        int clientTs = CLIENT_TS_AT_SECOND_HANDOFF + 500;
        byte[] frame = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).macs(CLIENT_MAC, SERVICE_MAC)
                .seq(9500).ack(10500).flags(TcpFlags.ACK | TcpFlags.PSH).timestamps(clientTs, 505_100)
                .sack(10600, 10700).payload("GET /c HTTP/1.1\r\n\r\n".getBytes()).build();
        translate(frame, toC);
        assertEquals(new FourTuple(NODE_B, B_TO_C_PORT, NODE_C, HTTP),
                new FourTuple(f.srcIp(), f.srcPort(), f.dstIp(), f.dstPort()));
        assertEquals(B_MAC, f.srcMac());
        assertEquals(C_MAC, f.dstMac());
        assertEquals(11500, f.seq());
        assertEquals(11500, f.ack());
        assertEquals(11600, f.sackLeft(0), "SACK edges name C's bytes: they move with the ack");
        assertEquals(11700, f.sackRight(0));
        assertEquals(clientTs + (B_C3_TS - CLIENT_TS_AT_SECOND_HANDOFF), f.tsval(),
                "the client's TSval lands on B's c3 clock, which C's PAWS knows");
        assertEquals(505_100 + toC.tsecrDelta, f.tsecr());
        assertChecksumsAsIfFromScratch(frame);
    }

    @Test
    void replyFromCIsRewrittenIntoC1() {
        byte[] frame = FrameBuilder.tcp(NODE_C, HTTP, NODE_B, B_TO_C_PORT).macs(C_MAC, B_MAC)
                .seq(11200).ack(11300).timestamps(C_C3_TS_SEEN_BY_B + 10, 2_000_050).payload(new byte[100]).build();
        translate(frame, fromC);
        assertEquals(CLIENT_KEY.reversed(), new FourTuple(f.srcIp(), f.srcPort(), f.dstIp(), f.dstPort()));
        assertEquals(SERVICE_MAC, f.srcMac());
        assertEquals(CLIENT_MAC, f.dstMac());
        assertEquals(10200, f.seq());
        assertEquals(9300, f.ack());
        // The TSecr echoes B's c3 clock, which is the client's own clock moved by toC: moved back exactly.
        assertEquals(2_000_050 - (B_C3_TS - CLIENT_TS_AT_SECOND_HANDOFF), f.tsecr());
        assertChecksumsAsIfFromScratch(frame);
    }

    @Test
    void optionsAtOddOffsetsKeepTheChecksumRight() {
        // MSS(4) + NOP puts the TS option at offset 25 of the header: its fields start on odd bytes.
        byte[] frame = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).seq(9001).ack(10001).mss(1460).nop()
                .timestampsUnaligned(0x1234_5678, 0x9ABC_DEF0).sackUnaligned(10100, 10200, 10300, 10400)
                .payload(new byte[] {1, 2, 3}).build();
        translate(frame, toC);
        assertEquals(0x1234_5678 + toC.tsvalDelta, f.tsval());
        assertEquals(10400 + toC.ackDelta, f.sackRight(1));
        assertChecksumsAsIfFromScratch(frame);
    }

    @Test
    void ackFieldsAreLeftAloneWithoutTheAckFlag() {
        byte[] frame = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).seq(9600).ack(0).flags(TcpFlags.RST)
                .timestamps(77, 0).build();
        translate(frame, toC);
        assertEquals(11600, f.seq());
        assertEquals(0, f.ack());
        assertEquals(0, f.tsecr());
        assertEquals(77 + toC.tsvalDelta, f.tsval());
        assertChecksumsAsIfFromScratch(frame);
    }

    @Test
    void windowIsRescaledBetweenDifferentShifts() {
        Level2Entry e = toC.toBuilder().windowShift(7, 9).build();
        byte[] frame = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).seq(9500).ack(10500).window(1000).build();
        translate(frame, e);
        assertEquals(250, f.window(), "1000 units of 128 bytes are 250 units of 512");
        assertChecksumsAsIfFromScratch(frame);

        assertEquals(4000, PacketTranslator.rescaleWindow(1000, 9, 7));
        assertEquals(0xFFFF, PacketTranslator.rescaleWindow(0xF000, 9, 2), "clamped to the field");
        assertEquals(1, PacketTranslator.rescaleWindow(1, 0, 14), "an open window never becomes zero");
        assertEquals(0, PacketTranslator.rescaleWindow(0, 0, 14), "a zero window stays zero");

        byte[] syn = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).seq(9500).flags(TcpFlags.SYN)
                .window(64240).build();
        translate(syn, e);
        assertEquals(64240, f.window(), "a SYN's window is never scaled (RFC 7323)");
    }
}
