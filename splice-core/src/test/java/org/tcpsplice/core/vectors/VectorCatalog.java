package org.tcpsplice.core.vectors;

import static org.tcpsplice.core.testing.Figure2.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpsplice.core.PacketVerdict;
import org.tcpsplice.core.SpliceSwitch;
import org.tcpsplice.core.distribution.NodeDistribution;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.Bytes;
import org.tcpsplice.core.packet.Checksum;
import org.tcpsplice.core.packet.FrameStatus;
import org.tcpsplice.core.packet.PuntTag;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.rules.FastPathEntries;
import org.tcpsplice.core.teardown.TeardownPolicy;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.FrameBuilder;

/**
 * The vectors of the shared file, each produced by running the Java switch logic on a crafted frame.
 * Covers plain data, SACK, timestamps (aligned and at odd offsets), the 2^32 wrap, window rescaling,
 * older ranges, strays from ends that let go, and malformed input.
 */
public final class VectorCatalog {
    private VectorCatalog() {
    }

    public static List<TestVector> all() {
        List<TestVector> v = new ArrayList<>();
        byte[] get = "GET /c HTTP/1.1\r\nHost: service\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        v.add(fig2("fig2-client-data-to-C", "client request bytes in C's range (entry 236), Linux option layout",
                client(9500, 10500, TcpFlags.ACK | TcpFlags.PSH).timestamps(1_003_500, 505_100).payload(get)));
        v.add(fig2("fig2-client-sack-to-C", "client ACK with three SACK blocks naming C's bytes",
                client(9535, 10500, TcpFlags.ACK).timestamps(1_003_600, 505_200)
                        .sack(11000, 11500, 12000, 12500, 13000, 13100)));
        v.add(fig2("fig2-client-fin-to-C", "client FIN in C's range",
                client(9535, 14000, TcpFlags.ACK | TcpFlags.FIN).timestamps(1_004_000, 506_000)));
        v.add(fig2("fig2-client-older-range-to-B", "client ACK of B's bytes (entry 234): Java maps it, XDP leaves it",
                client(5000, 6000, TcpFlags.ACK).timestamps(1_000_100, 500_100)));
        v.add(fig2("fig2-client-before-first-handoff", "client ACK of A's bytes: unchanged to A",
                client(3000, 4000, TcpFlags.ACK).timestamps(1_000_000, 500_000)));
        v.add(fig2("fig2-reply-from-C", "C's response bytes back into c1 (entry 274)",
                FrameBuilder.tcp(NODE_C, HTTP, NODE_B, B_TO_C_PORT).macs(C_MAC, B_MAC).seq(11200).ack(11035)
                        .flags(TcpFlags.ACK | TcpFlags.PSH).timestamps(3_000_100, 2_000_500).payload(new byte[64])));
        v.add(fig2("fig2-C-acks-forwarded-request", "C's payload-free ACK of exactly B's forwarded request:"
                        + " Java maps it, XDP leaves it (the controller copies the ACK to B)",
                FrameBuilder.tcp(NODE_C, HTTP, NODE_B, B_TO_C_PORT).macs(C_MAC, B_MAC).seq(11000).ack(11000)
                        .flags(TcpFlags.ACK).timestamps(3_000_050, 2_000_400)));
        v.add(fig2("fig2-C-first-response-bytes", "C's first response bytes, with the same ACK: translated like"
                        + " the rest of C's response (sent the slow way, they were overtaken by the next)",
                FrameBuilder.tcp(NODE_C, HTTP, NODE_B, B_TO_C_PORT).macs(C_MAC, B_MAC).seq(11000).ack(11000)
                        .flags(TcpFlags.ACK | TcpFlags.PSH).timestamps(3_000_050, 2_000_400).payload(new byte[64])));
        v.add(fig2("fig2-reply-from-B-retransmission", "B retransmits within its sealed range (entry 254)",
                FrameBuilder.tcp(NODE_B, HTTP, NODE_A, A_TO_B_PORT).macs(B_MAC, A_MAC).seq(11900).ack(7000)
                        .timestamps(905_000, 703_000).payload(new byte[100])));
        v.add(fig2("fig2-pure-ack-from-B", "a duplicate ACK from B after it handed on: superseded by C's, dropped",
                FrameBuilder.tcp(NODE_B, HTTP, NODE_A, A_TO_B_PORT).macs(B_MAC, A_MAC).seq(11900).ack(7000)
                        .timestamps(905_050, 703_000).sack(1900, 2000)));
        v.add(fig2("fig2-stray-fin-from-B", "B's FIN after it handed on: dropped",
                FrameBuilder.tcp(NODE_B, HTTP, NODE_A, A_TO_B_PORT).macs(B_MAC, A_MAC).seq(12000).ack(7000)
                        .flags(TcpFlags.ACK | TcpFlags.FIN).timestamps(905_100, 703_000)));
        v.add(fig2("fig2-A-c1-retransmission", "A's last bytes again, before its handoff point: unchanged",
                FrameBuilder.tcp(SERVICE, HTTP, CLIENT, CLIENT_PORT).macs(SERVICE_MAC, CLIENT_MAC).seq(4900).ack(4000)
                        .timestamps(500_000, 1_000_000).payload(new byte[100])));
        v.add(fig2("fig2-A-c2-forwarded-request", "the request A forwards on c2 once the splice is live, ending at"
                        + " its handoff point (2000): unchanged to B, passed on by the fast path",
                FrameBuilder.tcp(NODE_A, A_TO_B_PORT, NODE_B, HTTP).macs(A_MAC, B_MAC).seq(1900).ack(7000)
                        .flags(TcpFlags.ACK | TcpFlags.PSH).timestamps(700_050, 900_000).payload(new byte[100])));
        v.add(fig2("fig2-A-c2-past-handoff", "A sends past its handoff point on c2 (a byte it never reported):"
                        + " dropped",
                FrameBuilder.tcp(NODE_A, A_TO_B_PORT, NODE_B, HTTP).macs(A_MAC, B_MAC).seq(1950).ack(7000)
                        .flags(TcpFlags.ACK | TcpFlags.PSH).timestamps(700_060, 900_000).payload(new byte[51])));
        v.add(fig2("fig2-A-c2-ack-past-handoff", "A acknowledges B's bytes it never received (past 7000): dropped",
                FrameBuilder.tcp(NODE_A, A_TO_B_PORT, NODE_B, HTTP).macs(A_MAC, B_MAC).seq(2000).ack(7001)
                        .timestamps(700_070, 900_000)));
        v.add(fig2("fig2-A-c2-fin", "A's FIN on c2 (Fig. 3, 356): dropped, B never sees it",
                FrameBuilder.tcp(NODE_A, A_TO_B_PORT, NODE_B, HTTP).macs(A_MAC, B_MAC).seq(2000).ack(7000)
                        .flags(TcpFlags.ACK | TcpFlags.FIN).timestamps(700_100, 900_000)));
        v.add(fig2("fig2-A-c1-rst", "an RST from A's kernel for its let-go socket: dropped",
                FrameBuilder.tcp(SERVICE, HTTP, CLIENT, CLIENT_PORT).macs(SERVICE_MAC, CLIENT_MAC).seq(5000)
                        .flags(TcpFlags.RST)));
        v.add(fig2("fig2-client-syn-port-reuse", "a SYN on the spliced client 4-tuple: dropped",
                client(777, 0, TcpFlags.SYN).mss(1460)));
        v.add(fig2("fig2-client-rst-without-ack", "RST without ACK: ack, TSecr left as they are",
                client(9600, 0, TcpFlags.RST).timestamps(1_004_100, 0)));
        v.add(fig2("fig2-timestamps-at-odd-offsets", "MSS, NOP, then TS and SACK with no padding: fields on odd bytes",
                client(9001, 10001, TcpFlags.ACK).mss(1460).nop().timestampsUnaligned(0x1234_5678, 0x9ABC_DEF0)
                        .sackUnaligned(10100, 10200)));
        v.add(fig2("fig2-ethernet-padding", "a 60-byte minimum Ethernet frame: padding after the IP packet is kept",
                padded(client(9535, 10600, TcpFlags.ACK).build(), 60)));
        v.add(fig2("unspliced-connection", "no level-1 entry either way: unchanged",
                FrameBuilder.tcp(CLIENT, 41000, SERVICE, HTTP).seq(1).ack(1).timestamps(5, 6)));

        v.add(wrap());
        v.add(window("window-rescale-down", 7, 9, 1000));
        v.add(window("window-rescale-up", 9, 7, 1000));
        v.add(window("window-rescale-clamped", 2, 0, 0x4000));

        for (Object[] m : new Object[][] {
            {"malformed-ip-options", 14, 0x46, FrameStatus.IP_OPTIONS},
            {"malformed-fragment", 20, 0x20, FrameStatus.FRAGMENT},
            {"malformed-bad-ihl", 14, 0x44, FrameStatus.BAD_IP_HEADER_LENGTH},
            {"malformed-not-tcp", 23, 17, FrameStatus.NOT_TCP},
            {"malformed-data-offset-too-big", 46, 0xF0, FrameStatus.BAD_TCP_DATA_OFFSET},
            {"malformed-data-offset-too-small", 46, 0x40, FrameStatus.BAD_TCP_DATA_OFFSET},
            {"malformed-ip-total-past-frame", 16, 0x7F, FrameStatus.TRUNCATED_IP},
            {"malformed-vlan-tagged", 12, 0x81, FrameStatus.NOT_IPV4},
        }) {
            byte[] frame = client(9500, 10500, TcpFlags.ACK).timestamps(1, 2).build();
            frame[(int) m[1]] = (byte) (int) m[2];
            v.add(expectStatus(fig2((String) m[0], "malformed: " + m[3], frame), (FrameStatus) m[3]));
        }
        byte[] overrun = client(9500, 10500, TcpFlags.ACK).rawOptions(1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2).build();
        overrun[14 + 20 + 20 + 3] = 12; // the TS option now claims 12 bytes, 2 past the header
        v.add(expectStatus(fig2("malformed-option-overrun", "malformed: TCP option runs past the header", overrun),
                FrameStatus.TCP_OPTION_OVERRUN));
        byte[] whole = client(9500, 10500, TcpFlags.ACK).timestamps(1, 2).build();
        v.add(expectStatus(fig2("malformed-truncated", "malformed: frame cut inside the TCP header",
                Arrays.copyOf(whole, 14 + 20 + 10)), FrameStatus.TRUNCATED_IP));
        v.add(fig2("ip-options-on-spliced-tuple", "an IP header with options (4 NOPs) on the client's tuple: the fast path"
                + " finds the ports after the options and tags it; the controller's parser refuses it",
                withIpOptions(client(9500, 10500, TcpFlags.ACK).timestamps(1, 2).build())));
        v.add(fig2("punt-tag-from-outside", "a frame arriving with the fast path's punt VLAN already on it: XDP drops it"
                + " (no host may reach the controller that way)", PuntTag.inserted(client(9500, 10500, TcpFlags.ACK).build())));
        byte[] laterFragment = client(9500, 10500, TcpFlags.ACK).timestamps(1, 2).build();
        laterFragment[14 + 7] = 0x10; // fragment offset 16 (x 8 bytes): no TCP header, no ports to look up
        v.add(fig2("fragment-not-first", "a later IP fragment of the client's tuple: the fast path cannot tell its"
                + " tuple and passes it (alone, it never completes a datagram)", laterFragment));
        return v;
    }

    /** The frame with four NOP bytes of IP options (IHL 6, total length and IP checksum adjusted). */
    private static byte[] withIpOptions(byte[] frame) {
        byte[] longer = new byte[frame.length + 4];
        System.arraycopy(frame, 0, longer, 0, 14 + 20);
        Arrays.fill(longer, 14 + 20, 14 + 24, (byte) 1);
        System.arraycopy(frame, 14 + 20, longer, 14 + 24, frame.length - 14 - 20);
        longer[14] = 0x46;
        Bytes.put16(longer, 14 + 2, Bytes.u16(frame, 14 + 2) + 4);
        Bytes.put16(longer, 14 + 10, Checksum.ipv4Header(longer, 14, 24));
        return longer;
    }

    private static FrameBuilder client(int seq, int ack, int flags) {
        return FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).macs(CLIENT_MAC, SERVICE_MAC)
                .seq(seq).ack(ack).flags(flags).window(501);
    }

    private static byte[] padded(byte[] frame, int size) {
        return Arrays.copyOf(frame, Math.max(size, frame.length));
    }

    private static TestVector fig2(String name, String note, FrameBuilder frame) {
        return fig2(name, note, frame.build());
    }

    private static TestVector fig2(String name, String note, byte[] frame) {
        return run(name, note, Figure2.afterBothHandoffs().tables, frame);
    }

    private static TestVector expectStatus(TestVector v, FrameStatus status) {
        if (!v.verdict.equals("NOT_PARSED " + status)) {
            throw new IllegalStateException(v.name + " was meant to be " + status + " but is " + v.verdict);
        }
        return v;
    }

    /** One splice whose handoff sits just below 2^32: the packet, its SACK edges and timestamps cross the wrap. */
    private static TestVector wrap() {
        SpliceTables tables = new SpliceTables();
        FourTuple key = new FourTuple(CLIENT, CLIENT_PORT, SERVICE, HTTP);
        tables.restore(key, Level2Entry.builder().handoff(0xFFFF_FF00, 0xFFFF_F000).deltas(0x300, -0x2000)
                .timestampDeltas(0x7FFF_FFF0, -5).rewriteTo(C2).macs(A_MAC, B_MAC).outPort(B_SWITCH_PORT)
                .windowShift(7, 7).build());
        byte[] frame = client(0xFFFF_FFF0, 0x0000_0010, TcpFlags.ACK | TcpFlags.PSH).timestamps(0x7FFF_FFFF, 3)
                .sack(0xFFFF_FFF8, 0x0000_0008).payload(new byte[32]).build();
        return run("wrap-seq-ack-sack-timestamps", "seq 2^32-16 + 0x300 wraps to 0x2f0; ack and SACK edges wrap back"
                + " below zero; TSval wraps past 2^31", tables, frame);
    }

    private static TestVector window(String name, int from, int to, int window) {
        SpliceTables tables = new SpliceTables();
        FourTuple key = new FourTuple(CLIENT, CLIENT_PORT, SERVICE, HTTP);
        tables.restore(key, Level2Entry.builder().handoff(4000, 5000).deltas(-2000, 2000).rewriteTo(C2)
                .macs(A_MAC, B_MAC).outPort(B_SWITCH_PORT).windowShift(from, to).build());
        byte[] frame = client(4100, 5100, TcpFlags.ACK).window(window).timestamps(10, 20).build();
        return run(name, "window " + window + " in units of 2^" + from + " re-expressed in units of 2^" + to,
                tables, frame);
    }

    private static TestVector run(String name, String note, SpliceTables tables, byte[] in) {
        List<TestVector.Table> dump = new ArrayList<>();
        for (FourTuple client : tables.clientKeys()) {
            for (FourTuple key : tables.level1Keys(client)) {
                List<Level2Entry> entries = new ArrayList<>();
                for (Level2Entry e = tables.level2Table(key); e != null; e = e.older) {
                    entries.add(e);
                }
                dump.add(new TestVector.Table(key, entries));
            }
        }
        Replay r = replay(tables, in);
        return new TestVector(name, note, dump, in, r.verdict, r.out, r.fastPathMap, r.fastPath);
    }

    /** What the Java switch logic does with {@code in} over these tables. */
    static Replay replay(SpliceTables tables, byte[] in) {
        byte[] out = in.clone();
        SpliceSwitch sw = new SpliceSwitch(tables, t -> NodeDistribution.NOT_DISTRIBUTED, TeardownPolicy.defaults(),
                () -> 0L);
        PacketVerdict verdict = sw.onPacket(out, 0, out.length, new TcpFrame());
        boolean translated = false;
        if (verdict.kind == PacketVerdict.Kind.TRANSLATED) {
            TcpFrame f = new TcpFrame();
            f.parse(in, 0, in.length);
            translated = FastPathEntries.translates(verdict.decision, f);
        }
        Map<FourTuple, FastPathEntries.Held> held = new LinkedHashMap<>();
        for (FourTuple client : tables.clientKeys()) {
            held.putAll(FastPathEntries.of(tables, client));
        }
        Map<FourTuple, String> map = new LinkedHashMap<>();
        held.forEach((key, h) -> map.put(key, h.text()));
        String why = verdict.kind == PacketVerdict.Kind.NOT_PARSED ? verdict.frameStatus.toString()
                : verdict.decision.reason.toString();
        return new Replay(verdict.kind + " " + why, out, map,
                FastPathEntries.action(held, in, translated, FastPathEntries.passesOn(verdict.decision)));
    }

    static final class Replay {
        final String verdict;
        final byte[] out;
        final Map<FourTuple, String> fastPathMap;
        final FastPathEntries.Action fastPath;

        Replay(String verdict, byte[] out, Map<FourTuple, String> fastPathMap, FastPathEntries.Action fastPath) {
            this.verdict = verdict;
            this.out = out;
            this.fastPathMap = fastPathMap;
            this.fastPath = fastPath;
        }
    }
}
