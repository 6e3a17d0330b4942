package org.tcpsplice.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcpsplice.core.testing.FrameBuilder;

/** The parser names what is wrong with a malformed frame instead of throwing or reading past it. */
class TcpFrameTest {
    private final TcpFrame f = new TcpFrame();

    private static FrameBuilder good() {
        return FrameBuilder.tcp(0x0A000001, 40000, 0x0A000064, 80).seq(1000).ack(2000).timestamps(5, 6).sack(10, 20);
    }

    @Test
    void parsesAWellFormedFrame() {
        byte[] b = good().payload(new byte[7]).flags(TcpFlags.ACK | TcpFlags.PSH).build();
        assertEquals(FrameStatus.OK, f.parse(b, 0, b.length));
        assertEquals(1000, f.seq());
        assertEquals(2000, f.ack());
        assertEquals(7, f.payloadLength());
        assertEquals(5, f.tsval());
        assertEquals(6, f.tsecr());
        assertEquals(1, f.sackBlockCount());
        assertEquals(20, f.sackRight(0));
        assertTrue(f.checksumsValid());
    }

    @Test
    void ethernetPaddingAfterTheIpPacketIsIgnored() {
        byte[] b = good().build();
        byte[] padded = java.util.Arrays.copyOf(b, b.length + 6);
        assertEquals(FrameStatus.OK, f.parse(padded, 0, padded.length));
        assertEquals(0, f.payloadLength());
    }

    private FrameStatus mangled(int offset, int value) {
        byte[] b = good().build();
        b[offset] = (byte) value;
        return f.parse(b, 0, b.length);
    }

    @Test
    void namesEachMalformation() {
        assertEquals(FrameStatus.TRUNCATED_ETHERNET, f.parse(new byte[13], 0, 13));
        assertEquals(FrameStatus.NOT_IPV4, mangled(12, 0x86)); // IPv6 ethertype 0x86dd-ish
        assertEquals(FrameStatus.BAD_IP_VERSION, mangled(14, 0x65));
        assertEquals(FrameStatus.BAD_IP_HEADER_LENGTH, mangled(14, 0x44));
        assertEquals(FrameStatus.IP_OPTIONS, mangled(14, 0x46));
        assertEquals(FrameStatus.TRUNCATED_IP, mangled(16, 0x7F)); // total length far past the frame
        assertEquals(FrameStatus.FRAGMENT, mangled(20, 0x20)); // MF
        assertEquals(FrameStatus.FRAGMENT, mangled(21, 0x01)); // fragment offset 1
        assertEquals(FrameStatus.NOT_TCP, mangled(23, 17));
        assertEquals(FrameStatus.BAD_TCP_DATA_OFFSET, mangled(14 + 20 + 12, 0x40)); // 16 bytes < 20
        assertEquals(FrameStatus.BAD_TCP_DATA_OFFSET, mangled(14 + 20 + 12, 0xF0)); // 60 bytes > what is there
        byte[] t = good().build();
        assertEquals(FrameStatus.TRUNCATED_IP, f.parse(t, 0, t.length - 1));
    }

    private FrameStatus totalLength(int total) {
        byte[] b = good().build();
        b[16] = 0;
        b[17] = (byte) total;
        return f.parse(b, 0, b.length);
    }

    @Test
    void ipTotalLengthSmallerThanTheHeaderIsBad() {
        assertEquals(FrameStatus.BAD_IP_TOTAL_LENGTH, totalLength(10));
        assertEquals(FrameStatus.BAD_TCP_DATA_OFFSET, totalLength(30), "room for only 10 TCP bytes");
    }

    private FrameStatus withOptions(int... raw) {
        byte[] b = FrameBuilder.tcp(1, 2, 3, 4).rawOptions(raw).build();
        return f.parse(b, 0, b.length);
    }

    @Test
    void namesEachBadOption() {
        assertEquals(FrameStatus.OK, withOptions(1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2));
        assertEquals(FrameStatus.OK, withOptions(0, 8, 99), "nothing after EOL is read");
        assertEquals(FrameStatus.TCP_OPTION_OVERRUN, withOptions(1, 1, 1, 8), "kind with no length byte");
        assertEquals(FrameStatus.TCP_OPTION_OVERRUN, withOptions(8, 10, 0, 0), "option longer than the header");
        assertEquals(FrameStatus.BAD_TCP_OPTION_LENGTH, withOptions(2, 1, 0, 0), "length below 2");
        assertEquals(FrameStatus.BAD_TCP_OPTION_LENGTH, withOptions(8, 6, 0, 0, 0, 0, 1, 1), "short timestamp");
        assertEquals(FrameStatus.BAD_TCP_OPTION_LENGTH, withOptions(5, 6, 0, 0, 0, 0, 1, 1), "SACK without a whole block");
        assertEquals(FrameStatus.DUPLICATE_TCP_OPTION,
                withOptions(8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void outOfRangeSliceOfTheBufferIsReportedNotThrown() {
        byte[] b = good().build();
        assertEquals(FrameStatus.TRUNCATED_ETHERNET, f.parse(b, b.length - 10, 20));
        assertEquals(FrameStatus.TRUNCATED_ETHERNET, f.parse(b, -1, 20));
        assertEquals(FrameStatus.TRUNCATED_ETHERNET, f.parse(b, 0, -5));
    }
}
