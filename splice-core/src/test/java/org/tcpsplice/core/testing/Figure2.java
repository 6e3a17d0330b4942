package org.tcpsplice.core.testing;

import org.tcpsplice.core.distribution.OwnerTable;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.DataPathAddresses;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.handoff.TcpOptions;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.HandoffProcessor;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.net.MacAddress;

/**
 * The patent's Figure 2 worked example as a fixture: a client connects to the service (served by
 * node A), A hands off to B at client seq/ack 4000/5000 over a c2 that stands at 2000/7000, then B
 * hands off to C at client seq/ack 9000/10000 over a c3 at 11000/11000.
 *
 * <p>The requests carry what the nodes' kernels would report. B reports its end of c2, in c2's
 * numbering: client seq 9000 is c2 seq 9000 - 2000 = 7000 (B's rcv_nxt), client ack 10000 is B's
 * snd_nxt 10000 + 2000 = 12000.
 */
public final class Figure2 {
    public static final int CLIENT = Ipv4.parse("10.0.0.1");
    public static final int SERVICE = Ipv4.parse("10.0.0.100");
    public static final int NODE_A = Ipv4.parse("10.0.1.1");
    public static final int NODE_B = Ipv4.parse("10.0.1.2");
    public static final int NODE_C = Ipv4.parse("10.0.1.3");
    public static final int CLIENT_PORT = 40000;
    public static final int HTTP = 80;
    public static final int A_TO_B_PORT = 50000;
    public static final int B_TO_C_PORT = 50001;

    public static final long CLIENT_MAC = MacAddress.parse("02:00:00:00:00:01");
    public static final long SERVICE_MAC = MacAddress.parse("02:00:00:00:00:64");
    public static final long A_MAC = MacAddress.parse("02:00:00:00:01:01");
    public static final long B_MAC = MacAddress.parse("02:00:00:00:01:02");
    public static final long C_MAC = MacAddress.parse("02:00:00:00:01:03");
    public static final int CLIENT_SWITCH_PORT = 1;
    public static final int A_SWITCH_PORT = 2;
    public static final int B_SWITCH_PORT = 3;
    public static final int C_SWITCH_PORT = 4;

    /** c1 from the client: entry 212's key. */
    public static final FourTuple CLIENT_KEY = new FourTuple(CLIENT, CLIENT_PORT, SERVICE, HTTP);
    /** c2 as A opened it, and its reverse (entry 214's key). */
    public static final FourTuple C2 = new FourTuple(NODE_A, A_TO_B_PORT, NODE_B, HTTP);
    /** c3 as B opened it, and its reverse (entry 216's key). */
    public static final FourTuple C3 = new FourTuple(NODE_B, B_TO_C_PORT, NODE_C, HTTP);

    // Timestamp clocks (each Linux connection has its own random TS offset).
    public static final int CLIENT_TS = 1_000_000;
    public static final int A_C1_TS = 500_000;
    public static final int A_C2_TS = 700_000;
    public static final int B_C2_TS_SEEN_BY_A = 900_000;
    public static final int B_C2_TS = 905_000;
    public static final int CLIENT_TS_AT_SECOND_HANDOFF = 1_003_000;
    public static final int B_C3_TS = 2_000_000;
    public static final int C_C3_TS_SEEN_BY_B = 3_000_000;

    public final SpliceTables tables = new SpliceTables();
    public final OwnerTable owners = new OwnerTable();
    public final HandoffProcessor processor = new HandoffProcessor(tables, owners);

    public Figure2() {
        owners.record(CLIENT_KEY, NODE_A); // the switch gave the client's connection to A (Fig. 4, 433)
    }

    /** Window scaling as Linux negotiates it by default between these hosts. */
    public static TcpOptions options() {
        return TcpOptions.linuxDefaults();
    }

    public static HandoffRequest aToB() {
        ConnectionSnapshot c1 = new ConnectionSnapshot(CLIENT_KEY.reversed(), 5000, 4000, options(), A_C1_TS, CLIENT_TS);
        ConnectionSnapshot c2 = new ConnectionSnapshot(C2, 2000, 7000, options(), A_C2_TS, B_C2_TS_SEEN_BY_A);
        return new HandoffRequest(NODE_A, c1, c2,
                new DataPathAddresses(A_MAC, B_MAC, B_SWITCH_PORT, CLIENT_MAC, CLIENT_SWITCH_PORT, SERVICE_MAC));
    }

    public static HandoffRequest bToC() {
        // B's view of c2: it sees the client's TSvals as translated by entry 234 (client TS - 300000).
        ConnectionSnapshot c2 = new ConnectionSnapshot(C2.reversed(), 12000, 7000, options(), B_C2_TS,
                CLIENT_TS_AT_SECOND_HANDOFF + (A_C2_TS - CLIENT_TS));
        ConnectionSnapshot c3 = new ConnectionSnapshot(C3, 11000, 11000, options(), B_C3_TS, C_C3_TS_SEEN_BY_B);
        // The client-side addresses are ignored on a later handoff (taken from the splice): pass junk to prove it.
        return new HandoffRequest(NODE_B, c2, c3, new DataPathAddresses(B_MAC, C_MAC, C_SWITCH_PORT, 0, 99, 0));
    }

    public HandoffOutcome handOffAToB() {
        return processor.process(aToB());
    }

    public HandoffOutcome handOffBToC() {
        return processor.process(bToC());
    }

    /** Both handoffs applied; fails loudly if either is refused. */
    public static Figure2 afterBothHandoffs() {
        Figure2 f = new Figure2();
        HandoffOutcome first = f.handOffAToB();
        HandoffOutcome second = f.handOffBToC();
        if (!first.accepted() || !second.accepted()) {
            throw new AssertionError("Figure 2 handoffs refused: " + first + " / " + second);
        }
        return f;
    }
}
