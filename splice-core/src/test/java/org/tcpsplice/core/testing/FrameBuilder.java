package org.tcpsplice.core.testing;

import java.io.ByteArrayOutputStream;
import org.tcpsplice.core.packet.Bytes;
import org.tcpsplice.core.packet.Checksum;
import org.tcpsplice.core.packet.TcpFlags;

/**
 * Test helper (a real frame encoder, not a fake): builds Ethernet + IPv4 + TCP frames byte by byte
 * with correct checksums, the way a Linux host lays out its options (NOP NOP TS, NOP NOP SACK).
 */
public final class FrameBuilder {
    private long srcMac = 0x020000000001L;
    private long dstMac = 0x020000000002L;
    private int srcIp;
    private int dstIp;
    private int srcPort;
    private int dstPort;
    private int seq;
    private int ack;
    private int flags = TcpFlags.ACK;
    private int window = 502;
    private int ipId = 0x1234;
    private final ByteArrayOutputStream options = new ByteArrayOutputStream();
    private byte[] payload = new byte[0];

    public static FrameBuilder tcp(int srcIp, int srcPort, int dstIp, int dstPort) {
        FrameBuilder b = new FrameBuilder();
        b.srcIp = srcIp;
        b.srcPort = srcPort;
        b.dstIp = dstIp;
        b.dstPort = dstPort;
        return b;
    }

    public FrameBuilder macs(long src, long dst) {
        this.srcMac = src;
        this.dstMac = dst;
        return this;
    }

    public FrameBuilder seq(int seq) {
        this.seq = seq;
        return this;
    }

    public FrameBuilder ack(int ack) {
        this.ack = ack;
        return this;
    }

    public FrameBuilder flags(int flags) {
        this.flags = flags;
        return this;
    }

    public FrameBuilder window(int window) {
        this.window = window;
        return this;
    }

    public FrameBuilder ipId(int id) {
        this.ipId = id;
        return this;
    }

    public FrameBuilder payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    /** Linux layout: NOP, NOP, TS(10) — the timestamp fields 32-bit aligned. */
    public FrameBuilder timestamps(int tsval, int tsecr) {
        options.write(1);
        options.write(1);
        return timestampsUnaligned(tsval, tsecr);
    }

    /** A TS option with no padding before it: its fields land wherever the option list puts them. */
    public FrameBuilder timestampsUnaligned(int tsval, int tsecr) {
        options.write(8);
        options.write(10);
        write32(tsval);
        write32(tsecr);
        return this;
    }

    /** NOP, NOP, SACK with the given (left, right) edge pairs. */
    public FrameBuilder sack(int... edges) {
        options.write(1);
        options.write(1);
        return sackUnaligned(edges);
    }

    public FrameBuilder sackUnaligned(int... edges) {
        if (edges.length % 2 != 0) {
            throw new IllegalArgumentException("SACK edges come in pairs");
        }
        options.write(5);
        options.write(2 + 4 * edges.length);
        for (int e : edges) {
            write32(e);
        }
        return this;
    }

    public FrameBuilder mss(int mss) {
        options.write(2);
        options.write(4);
        options.write(mss >>> 8);
        options.write(mss);
        return this;
    }

    public FrameBuilder nop() {
        options.write(1);
        return this;
    }

    /** Raw option bytes, exactly as given (for malformed-input tests). */
    public FrameBuilder rawOptions(int... bytes) {
        for (int x : bytes) {
            options.write(x);
        }
        return this;
    }

    private void write32(int v) {
        options.write(v >>> 24);
        options.write(v >>> 16);
        options.write(v >>> 8);
        options.write(v);
    }

    public byte[] build() {
        byte[] opts = options.toByteArray();
        int optLen = (opts.length + 3) & ~3; // pad with EOL (zero) bytes to a 32-bit boundary
        int tcpLen = 20 + optLen;
        int ipTotal = 20 + tcpLen + payload.length;
        byte[] f = new byte[14 + ipTotal];
        Bytes.put48(f, 0, dstMac);
        Bytes.put48(f, 6, srcMac);
        f[12] = 0x08;
        f[13] = 0x00;
        int ip = 14;
        f[ip] = 0x45;
        Bytes.put16(f, ip + 2, ipTotal);
        Bytes.put16(f, ip + 4, ipId);
        Bytes.put16(f, ip + 6, 0x4000); // DF
        f[ip + 8] = 64;
        f[ip + 9] = 6;
        Bytes.put32(f, ip + 12, srcIp);
        Bytes.put32(f, ip + 16, dstIp);
        Bytes.put16(f, ip + 10, Checksum.ipv4Header(f, ip, 20));
        int tcp = ip + 20;
        Bytes.put16(f, tcp, srcPort);
        Bytes.put16(f, tcp + 2, dstPort);
        Bytes.put32(f, tcp + 4, seq);
        Bytes.put32(f, tcp + 8, ack);
        f[tcp + 12] = (byte) ((tcpLen / 4) << 4);
        f[tcp + 13] = (byte) flags;
        Bytes.put16(f, tcp + 14, window);
        System.arraycopy(opts, 0, f, tcp + 20, opts.length);
        System.arraycopy(payload, 0, f, tcp + tcpLen, payload.length);
        Bytes.put16(f, tcp + 16, Checksum.tcp(f, ip, tcp, tcpLen + payload.length));
        return f;
    }

    /** Recomputes both checksums of a frame from scratch (after a test mangles a field on purpose). */
    public static void fixChecksums(byte[] f) {
        int ip = 14;
        int ihl = (f[ip] & 0x0F) * 4;
        int total = ((f[ip + 2] & 0xFF) << 8) | (f[ip + 3] & 0xFF);
        Bytes.put16(f, ip + 10, Checksum.ipv4Header(f, ip, ihl));
        Bytes.put16(f, ip + ihl + 16, Checksum.tcp(f, ip, ip + ihl, total - ihl));
    }
}
