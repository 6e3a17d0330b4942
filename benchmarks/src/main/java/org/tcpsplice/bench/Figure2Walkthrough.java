package org.tcpsplice.bench;

import java.util.List;
import org.tcpsplice.core.PacketVerdict;
import org.tcpsplice.core.SpliceSwitch;
import org.tcpsplice.core.distribution.RoundRobinDistribution;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.rules.RuleCompiler;
import org.tcpsplice.core.rules.SwitchRule;
import org.tcpsplice.core.seq.SeqNum;
import org.tcpsplice.core.teardown.TeardownPolicy;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.FrameBuilder;

import static org.tcpsplice.core.testing.Figure2.*;

/**
 * The patent's Figure 2 walked through the real switch logic (no network): what scripts/demo.sh
 * shows until the Mininet demo exists. Prints the handoffs, the level-1/level-2 tables, what
 * happens to packets in each range, and the switch rules the splice compiles to.
 */
public final class Figure2Walkthrough {
    private Figure2Walkthrough() {
    }

    public static void main(String[] args) {
        SpliceSwitch sw = new SpliceSwitch(new RoundRobinDistribution(SERVICE, HTTP, List.of(NODE_A, NODE_B, NODE_C)),
                TeardownPolicy.defaults(), System::currentTimeMillis);
        TcpFrame frame = new TcpFrame();

        byte[] syn = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).seq(3999).flags(TcpFlags.SYN).mss(1460).build();
        System.out.println("client SYN " + CLIENT_KEY + " -> " + sw.onPacket(syn, 0, syn.length, frame)
                + " (round-robin: node A)");
        show(sw, "handoff A -> B at client seq/ack 4000/5000, c2 at 2000/7000", sw.onHandoff(Figure2.aToB()));
        show(sw, "handoff B -> C at client seq/ack 9000/10000, c3 at 11000/11000", sw.onHandoff(Figure2.bToC()));

        System.out.println("\nlevel-1 map (newest level-2 entry first):");
        for (FourTuple key : sw.tables().level1Keys(CLIENT_KEY)) {
            System.out.println("  " + key);
            for (Level2Entry e = sw.tables().level2Table(key); e != null; e = e.older) {
                System.out.println("      " + e);
            }
        }

        System.out.println("\npackets:");
        packet(sw, frame, "client data above 9000/10000", FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP)
                .seq(9500).ack(10500).timestamps(1_003_500, 505_100).payload(new byte[40]));
        packet(sw, frame, "client ACK between the handoffs", FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP)
                .seq(5000).ack(6000).timestamps(1_000_100, 500_100));
        packet(sw, frame, "client ACK below 4000/5000", FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP)
                .seq(3500).ack(4500).timestamps(1_000_000, 500_000));
        packet(sw, frame, "C's response", FrameBuilder.tcp(NODE_C, HTTP, NODE_B, B_TO_C_PORT)
                .seq(11200).ack(11040).timestamps(3_000_100, 2_000_500).payload(new byte[100]));
        packet(sw, frame, "A's FIN on c2 (Fig. 3, 356)", FrameBuilder.tcp(NODE_A, A_TO_B_PORT, NODE_B, HTTP)
                .seq(2000).ack(7000).flags(TcpFlags.ACK | TcpFlags.FIN));

        System.out.println("\nswitch rules (slow path; the fast path holds the same tuples in its map instead):");
        for (SwitchRule r : RuleCompiler.compile(sw.tables(), CLIENT_KEY)) {
            System.out.println("  " + r);
        }
    }

    private static void show(SpliceSwitch sw, String what, HandoffOutcome outcome) {
        System.out.println(what + ": " + outcome);
    }

    private static void packet(SpliceSwitch sw, TcpFrame f, String what, FrameBuilder builder) {
        byte[] b = builder.build();
        f.parse(b, 0, b.length);
        String before = header(f);
        PacketVerdict v = sw.onPacket(b, 0, b.length, f);
        f.parse(b, 0, b.length);
        System.out.printf("  %-34s %s%n  %34s -> %s%s%n", what, before, "", v,
                v.kind == PacketVerdict.Kind.TRANSLATED ? ": " + header(f) : "");
    }

    private static String header(TcpFrame f) {
        return new FourTuple(f.srcIp(), f.srcPort(), f.dstIp(), f.dstPort()) + " seq " + SeqNum.unsigned(f.seq())
                + " ack " + SeqNum.unsigned(f.ack()) + " " + TcpFlags.format(f.flags())
                + (f.hasTimestamps() ? " TSval " + SeqNum.unsigned(f.tsval()) + " TSecr " + SeqNum.unsigned(f.tsecr()) : "");
    }
}
