package org.tcpsplice.core.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import org.junit.jupiter.api.Test;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.DataPathAddresses;
import org.tcpsplice.core.handoff.HandoffRefusal;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.handoff.TcpOptions;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;
import static org.tcpsplice.core.testing.Figure2.options;
import org.tcpsplice.core.testing.Figure2;

/** Handoff validation (Fig. 4, 440-460): every refusal has its reason and leaves the tables as they were. */
class HandoffProcessorTest {

    private static HandoffRequest withClientSide(HandoffRequest r, ConnectionSnapshot c) {
        return new HandoffRequest(r.requesterIp, c, r.newConnection, r.path);
    }

    private static HandoffRequest withNewConnection(HandoffRequest r, ConnectionSnapshot c) {
        return new HandoffRequest(r.requesterIp, r.clientSide, c, r.path);
    }

    private static ConnectionSnapshot renumber(ConnectionSnapshot c, int sndNxt, int rcvNxt) {
        return new ConnectionSnapshot(c.tuple, sndNxt, rcvNxt, c.options, c.localTsClock, c.peerTsRecent);
    }

    private static ConnectionSnapshot withOptions(ConnectionSnapshot c, TcpOptions options) {
        return new ConnectionSnapshot(c.tuple, c.sndNxt, c.rcvNxt, options, c.localTsClock, c.peerTsRecent);
    }

    /** Applies the request to a fixture in the given state; asserts the refusal and that nothing changed. */
    private static void assertRefused(Figure2 fig, HandoffRequest request, HandoffRefusal reason) {
        String before = TablesDump.of(fig.tables);
        HandoffOutcome outcome = fig.processor.process(request);
        assertEquals(HandoffOutcome.Kind.REFUSED, outcome.kind, outcome.toString());
        assertEquals(reason, outcome.refusal, outcome.toString());
        assertEquals(before, TablesDump.of(fig.tables), "a refused handoff must change nothing");
    }

    private static Figure2 afterFirstHandoff() {
        Figure2 fig = new Figure2();
        assertEquals(HandoffOutcome.Kind.APPLIED, fig.handOffAToB().kind);
        return fig;
    }

    @Test
    void firstHandoffCreatesLevel1EntryAndBothTables() {
        Figure2 fig = new Figure2();
        assertEquals(0, fig.tables.level1Size());
        HandoffOutcome outcome = fig.handOffAToB();
        assertEquals(HandoffOutcome.Kind.APPLIED, outcome.kind);
        assertEquals(CLIENT_KEY, outcome.clientKey);
        assertEquals(2, fig.tables.level1Size());
        assertEquals(outcome.forwardEntry, fig.tables.level2Table(CLIENT_KEY));
        assertEquals(outcome.reverseEntry, fig.tables.level2Table(C2.reversed()));
    }

    @Test
    void repeatingAHandoffIsIdempotent() {
        Figure2 fig = afterFirstHandoff();
        String before = TablesDump.of(fig.tables);
        HandoffOutcome again = fig.handOffAToB();
        assertEquals(HandoffOutcome.Kind.DUPLICATE, again.kind, again.toString());
        assertEquals(before, TablesDump.of(fig.tables));

        assertEquals(HandoffOutcome.Kind.APPLIED, fig.handOffBToC().kind);
        String afterSecond = TablesDump.of(fig.tables);
        assertEquals(HandoffOutcome.Kind.DUPLICATE, fig.handOffBToC().kind, "B retries after a lost response");
        assertEquals(afterSecond, TablesDump.of(fig.tables));
    }

    @Test
    void repeatWithOtherNumbersIsAConflict() {
        Figure2 fig = afterFirstHandoff();
        HandoffRequest r = Figure2.aToB();
        assertRefused(fig, withNewConnection(r, renumber(r.newConnection, 2100, 7000)), HandoffRefusal.CONFLICT);
    }

    @Test
    void unknownConnectionIsRefused() {
        Figure2 fig = new Figure2();
        HandoffRequest r = Figure2.aToB();
        FourTuple stranger = new FourTuple(SERVICE, HTTP, Ipv4.parse("10.0.0.9"), 41000);
        ConnectionSnapshot c1 = r.clientSide;
        assertRefused(fig, withClientSide(r, new ConnectionSnapshot(stranger, c1.sndNxt, c1.rcvNxt, c1.options,
                c1.localTsClock, c1.peerTsRecent)), HandoffRefusal.UNKNOWN_CONNECTION);
    }

    @Test
    void onlyTheServingNodeMayHandOff() {
        // B pretends to be serving the client's connection that the switch gave to A.
        Figure2 fig = new Figure2();
        HandoffRequest r = Figure2.aToB();
        ConnectionSnapshot c2FromB = new ConnectionSnapshot(new FourTuple(NODE_B, 50002, NODE_C, HTTP),
                2000, 7000, options(), 1, 1);
        assertRefused(fig, new HandoffRequest(NODE_B, r.clientSide, c2FromB, r.path), HandoffRefusal.NOT_CURRENT_OWNER);
    }

    @Test
    void theFirstNodeCannotHandOffAgainOnceItHandedOff() {
        Figure2 fig = afterFirstHandoff();
        HandoffRequest r = Figure2.aToB();
        ConnectionSnapshot toC = new ConnectionSnapshot(new FourTuple(NODE_A, 50005, NODE_C, HTTP), 1, 1, options(), 1, 1);
        assertRefused(fig, withNewConnection(r, toC), HandoffRefusal.NOT_CURRENT_OWNER);
    }

    @Test
    void aNodeThatHandedOnCannotHandOffAgain() {
        Figure2 fig = Figure2.afterBothHandoffs();
        HandoffRequest r = Figure2.bToC();
        ConnectionSnapshot toA = new ConnectionSnapshot(new FourTuple(NODE_B, 50009, NODE_A, HTTP), 1, 1, options(), 1, 1);
        assertRefused(fig, withNewConnection(r, toA), HandoffRefusal.NOT_CURRENT_OWNER);
    }

    @Test
    void staleNumbersBehindTheNewestHandoffAreRefused() {
        Figure2 fig = afterFirstHandoff();
        HandoffRequest r = Figure2.bToC();
        // B claims its c2 stands at rcv_nxt 1500 (client seq 3500), before the first handoff at 4000.
        assertRefused(fig, withClientSide(r, renumber(r.clientSide, 12000, 1500)), HandoffRefusal.STALE_SEQUENCE);
        // ... or at snd_nxt 6000 (client ack 4000 < 5000).
        assertRefused(fig, withClientSide(r, renumber(r.clientSide, 6000, 7000)), HandoffRefusal.STALE_SEQUENCE);
    }

    @Test
    void aNewConnectionAlreadyInAnotherSpliceIsAConflict() {
        Figure2 fig = afterFirstHandoff();
        // A second client connection, also served by A, which A tries to splice onto the c2 already in use.
        FourTuple secondClient = new FourTuple(Ipv4.parse("10.0.0.2"), 40001, SERVICE, HTTP);
        fig.owners.record(secondClient, NODE_A);
        HandoffRequest r = Figure2.aToB();
        ConnectionSnapshot c1 = new ConnectionSnapshot(secondClient.reversed(), 5000, 4000, options(), 1, 1);
        assertRefused(fig, withClientSide(r, c1), HandoffRefusal.CONFLICT);
    }

    @Test
    void timestampMismatchIsRefused() {
        Figure2 fig = new Figure2();
        HandoffRequest r = Figure2.aToB();
        TcpOptions noTs = new TcpOptions(1460, 1460, 7, 7, true, false);
        assertRefused(fig, withNewConnection(r, withOptions(r.newConnection, noTs)), HandoffRefusal.OPTIONS_MISMATCH);
    }

    @Test
    void newConnectionWithLargerMssThanTheClientsIsRefused() {
        Figure2 fig = new Figure2();
        HandoffRequest r = Figure2.aToB();
        TcpOptions bigMss = new TcpOptions(1460, 8960, 7, 7, true, true);
        assertRefused(fig, withNewConnection(r, withOptions(r.newConnection, bigMss)), HandoffRefusal.OPTIONS_MISMATCH);
    }

    @Test
    void malformedRequestsAreRefusedWithAReason() {
        Figure2 fig = new Figure2();
        HandoffRequest r = Figure2.aToB();
        assertRefused(fig, new HandoffRequest(NODE_A, null, r.newConnection, r.path), HandoffRefusal.MALFORMED);
        assertRefused(fig, withNewConnection(r, r.clientSide), HandoffRefusal.MALFORMED);
        assertRefused(fig, new HandoffRequest(NODE_B, r.clientSide, r.newConnection, r.path), HandoffRefusal.MALFORMED);
        assertTrue(fig.processor.process(new HandoffRequest(NODE_B, r.clientSide, r.newConnection, r.path))
                .message.contains("10.0.1.2"), "the message names the offending node");
        TcpOptions badShift = new TcpOptions(1460, 1460, 15, 7, true, true);
        assertRefused(fig, withNewConnection(r, withOptions(r.newConnection, badShift)), HandoffRefusal.MALFORMED);
        assertRefused(fig, withNewConnection(r, new ConnectionSnapshot(new FourTuple(NODE_A, 0, NODE_B, HTTP),
                1, 1, options(), 1, 1)), HandoffRefusal.MALFORMED);
    }

    /** No IPv4 connection has an MSS outside 536..65535 (a node's own MSS may be left unreported: 0). */
    @Test
    void anMssNoConnectionCanHaveIsRefusedByItsField() {
        Figure2 fig = new Figure2();
        HandoffRequest r = Figure2.aToB();
        for (int mss : new int[] {0, 535, 65536}) {
            HandoffRequest bad = new HandoffRequest(r.requesterIp, withOptions(r.clientSide,
                    new TcpOptions(mss, 1460, 7, 7, true, true)), r.newConnection, r.path);
            assertRefused(fig, bad, HandoffRefusal.MALFORMED);
            assertTrue(fig.processor.process(bad).message.contains("clientSide.options.peerMss " + mss),
                    fig.processor.process(bad).message);
        }
        HandoffRequest badLocal = withNewConnection(r, withOptions(r.newConnection, new TcpOptions(1460, 100, 7, 7, true, true)));
        assertRefused(fig, badLocal, HandoffRefusal.MALFORMED);
        assertTrue(fig.processor.process(badLocal).message.contains("newConnection.options.localMss 100"));
        HandoffRequest unreported = new HandoffRequest(r.requesterIp, withOptions(r.clientSide,
                new TcpOptions(1460, 0, 7, 7, true, true)), r.newConnection, r.path);
        assertEquals(HandoffOutcome.Kind.APPLIED, fig.processor.process(unreported).kind, "localMss 0: not reported");
    }

    /** A node handing a connection to itself, on the service port or any other, is refused. */
    @Test
    void aHandoffToTheRequestingNodeItselfIsRefused() {
        Figure2 fig = new Figure2();
        HandoffRequest r = Figure2.aToB();
        for (int port : new int[] {HTTP, 8080}) {
            HandoffRequest self = withNewConnection(r, new ConnectionSnapshot(new FourTuple(NODE_A, 50000, NODE_A, port),
                    2000, 7000, options(), 1, 1));
            assertRefused(fig, self, HandoffRefusal.MALFORMED);
            assertTrue(fig.processor.process(self).message.contains("newConnection.remote 10.0.1.1:" + port),
                    fig.processor.process(self).message);
        }
    }

    @Test
    void laterHandoffTakesClientAddressesFromTheSplice() {
        Figure2 fig = Figure2.afterBothHandoffs();
        Level2Entry e274 = fig.tables.level2Table(C3.reversed());
        assertEquals(CLIENT_MAC, e274.newDstMac());
        assertEquals(SERVICE_MAC, e274.newSrcMac());
        assertEquals(CLIENT_SWITCH_PORT, e274.outPort);
    }

    @Test
    void handoffsChainAcrossTheSequenceWrap() {
        // The same Figure 2 chain with every number shifted to straddle 2^32.
        int shift = -6000; // client seq 4000 becomes 2^32 - 2000; 9000 becomes 3000 after the wrap
        Figure2 fig = new Figure2();
        HandoffRequest a = Figure2.aToB();
        HandoffRequest b = Figure2.bToC();
        HandoffRequest a2 = new HandoffRequest(a.requesterIp, renumber(a.clientSide, 5000 + shift, 4000 + shift),
                a.newConnection, a.path);
        HandoffRequest b2 = new HandoffRequest(b.requesterIp, renumber(b.clientSide, 12000, 7000), b.newConnection, b.path);
        assertEquals(HandoffOutcome.Kind.APPLIED, fig.processor.process(a2).kind);
        HandoffOutcome second = fig.processor.process(b2);
        assertEquals(HandoffOutcome.Kind.APPLIED, second.kind, second.toString());
        assertEquals(9000 + shift, second.forwardEntry.handoffSeq);
        assertTrue(second.forwardEntry.handoffSeq > 0 && fig.tables.level2Table(CLIENT_KEY).older.handoffSeq < 0,
                "the two handoff points lie on both sides of the wrap");
        // A stale claim across the wrap is still recognised as stale: B's rcv_nxt 1999 is client seq
        // 2^32 - 2001, one byte before the first handoff, although it is numerically larger.
        Figure2 fresh = new Figure2();
        assertEquals(HandoffOutcome.Kind.APPLIED, fresh.processor.process(a2).kind);
        assertRefused(fresh, withClientSide(b2, renumber(b2.clientSide, 12000, 1999)), HandoffRefusal.STALE_SEQUENCE);
    }

    @Test
    void aHandoffCanBeUndoneExactlyWithCaptureAndPutBack() {
        // What a controller does when the switch cannot confirm a handoff's rules.
        Figure2 fig = afterFirstHandoff();
        String afterFirst = TablesDump.of(fig.tables);
        java.util.Map<FourTuple, Level2Entry> before = fig.tables.capture(fig.tables.clientKeyOf(Figure2.bToC().clientSide.tuple));
        assertEquals(HandoffOutcome.Kind.APPLIED, fig.handOffBToC().kind);
        fig.tables.putBack(CLIENT_KEY, before);
        assertEquals(afterFirst, TablesDump.of(fig.tables), "B's entry unsealed, C's entries gone");
        assertEquals(CLIENT_KEY, fig.tables.clientKeyOf(Figure2.aToB().clientSide.tuple));
    }

    /** The node {@code held} names hands the connection on over {@code next} (a node's new connection). */
    private static HandoffOutcome handOn(Figure2 fig, int node, ConnectionSnapshot held, FourTuple next,
                                         long targetMac, int targetPort) {
        ConnectionSnapshot c = new ConnectionSnapshot(next, 3000, 8000, options(), 4_000_000, 5_000_000);
        return fig.processor.process(new HandoffRequest(node, held, c,
                new DataPathAddresses(0, targetMac, targetPort, 0, 99, 0)));
    }

    private static int chainLength(Level2Entry head) {
        int n = 0;
        for (Level2Entry e = head; e != null; e = e.older) {
            n++;
        }
        return n;
    }

    @Test
    void aConnectionHandedOnAgainAndAgainKeepsTwoRanges() {
        Figure2 fig = Figure2.afterBothHandoffs(); // A to B, B to C: ranges B and C
        assertEquals(3, fig.tables.level1Size());
        FourTuple cToA = new FourTuple(NODE_C, 50002, NODE_A, HTTP);
        // C took 500 client bytes past the handoff point (its rcv_nxt 11000) and sent 9000.
        HandoffOutcome third = handOn(fig, NODE_C, new ConnectionSnapshot(C3.reversed(), 20000, 11500, options(),
                6_000_000, 1_010_000), cToA, A_MAC, A_SWITCH_PORT);
        assertEquals(HandoffOutcome.Kind.APPLIED, third.kind, third.toString());
        assertEquals(2, chainLength(fig.tables.level2Table(CLIENT_KEY)), "C's range and A's");
        assertEquals(null, fig.tables.level2Table(C2.reversed()), "B's range, acknowledged long ago, is gone");
        assertTrue(fig.tables.level2Table(C3.reversed()).sealed(), "C's range stays, sealed");
        assertEquals(3, fig.tables.level1Size());
        assertEquals(java.util.List.of(CLIENT_KEY, C3.reversed(), cToA.reversed()), fig.tables.level1Keys(CLIENT_KEY));

        FourTuple aToB = new FourTuple(NODE_A, 50003, NODE_B, HTTP);
        HandoffOutcome fourth = handOn(fig, NODE_A, new ConnectionSnapshot(cToA.reversed(), 8400, 3700, options(),
                4_100_000, 1_020_000), aToB, B_MAC, B_SWITCH_PORT);
        assertEquals(HandoffOutcome.Kind.APPLIED, fourth.kind, fourth.toString());
        assertEquals(2, chainLength(fig.tables.level2Table(CLIENT_KEY)));
        assertEquals(null, fig.tables.level2Table(C3.reversed()));
        assertEquals(3, fig.tables.level1Size(), "as many keys after four handoffs as after two");

        // A store replica that held the splice before the compaction follows its later record exactly.
        SpliceTables replica = new SpliceTables();
        SpliceText.restore(replica, SpliceText.format(Figure2.afterBothHandoffs().tables, CLIENT_KEY));
        SpliceText.restore(replica, SpliceText.format(fig.tables, CLIENT_KEY));
        assertEquals(TablesDump.of(fig.tables), TablesDump.of(replica), "no key of a compacted range is left behind");
        assertEquals(CLIENT_KEY, fig.tables.clientKeyOf(aToB.reversed()), "B's new end leads to the client");
    }
}
