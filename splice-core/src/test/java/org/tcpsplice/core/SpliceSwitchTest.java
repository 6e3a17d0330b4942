package org.tcpsplice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.distribution.LeastConnectionsDistribution;
import org.tcpsplice.core.distribution.RoundRobinDistribution;
import org.tcpsplice.core.handoff.ConnectionOwners;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.map.PayloadMapper;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.FrameStatus;
import org.tcpsplice.core.packet.PureAck;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.teardown.ExpiredSplice;
import org.tcpsplice.core.teardown.TeardownPolicy;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.FrameBuilder;

/** Patent Fig. 4 end to end inside the library: real frames in, verdicts and rewritten frames out (fake clock). */
class SpliceSwitchTest {
    private final AtomicLong clock = new AtomicLong();
    private final SpliceSwitch sw = new SpliceSwitch(
            new RoundRobinDistribution(SERVICE, HTTP, List.of(NODE_A, NODE_B, NODE_C)),
            new TeardownPolicy(300, 2), clock::get);
    private final TcpFrame scratch = new TcpFrame();

    private PacketVerdict send(byte[] frame) {
        return send(sw, frame);
    }

    private PacketVerdict send(SpliceSwitch s, byte[] frame) {
        return s.onPacket(frame, 0, frame.length, scratch);
    }

    private static byte[] fromClient(int port, int seq, int ack, int flags) {
        return FrameBuilder.tcp(CLIENT, port, SERVICE, HTTP).seq(seq).ack(ack).flags(flags).timestamps(1, 2).build();
    }

    @Test
    void newConnectionsAreSpreadRoundRobin() {
        assertEquals(NODE_A, send(fromClient(CLIENT_PORT, 3000, 0, TcpFlags.SYN)).nodeIp);
        assertEquals(NODE_B, send(fromClient(CLIENT_PORT + 1, 3000, 0, TcpFlags.SYN)).nodeIp);
        assertEquals(NODE_C, send(fromClient(CLIENT_PORT + 2, 3000, 0, TcpFlags.SYN)).nodeIp);
        assertEquals(NODE_A, send(fromClient(CLIENT_PORT + 3, 3000, 0, TcpFlags.SYN)).nodeIp);
        assertEquals(NODE_A, sw.owners().ownerIpOf(CLIENT_KEY), "the switch remembers who serves each connection");
        byte[] elsewhere = FrameBuilder.tcp(CLIENT, 1234, NODE_A, 22).flags(TcpFlags.SYN).build();
        assertEquals(PacketVerdict.Kind.FORWARD_UNCHANGED, send(elsewhere).kind, "not the service: not distributed");
    }

    @Test
    void theFigure2ChainThroughTheSwitch() {
        assertEquals(NODE_A, send(fromClient(CLIENT_PORT, 3000, 0, TcpFlags.SYN)).nodeIp);
        assertEquals(PacketVerdict.Kind.FORWARD_UNCHANGED, send(fromClient(CLIENT_PORT, 3001, 4001, TcpFlags.ACK)).kind,
                "before any handoff the connection is A's, untouched");
        assertEquals(HandoffOutcome.Kind.APPLIED, sw.onHandoff(Figure2.aToB()).kind);
        assertEquals(HandoffOutcome.Kind.APPLIED, sw.onHandoff(Figure2.bToC()).kind);

        byte[] data = fromClient(CLIENT_PORT, 9500, 10500, TcpFlags.ACK | TcpFlags.PSH);
        PacketVerdict v = send(data);
        assertEquals(PacketVerdict.Kind.TRANSLATED, v.kind);
        assertEquals(C_SWITCH_PORT, v.outPort);
        scratch.parse(data, 0, data.length);
        assertEquals(NODE_C, scratch.dstIp());
        assertEquals(11500, scratch.seq());

        byte[] strayFin = FrameBuilder.tcp(NODE_A, A_TO_B_PORT, NODE_B, HTTP).seq(2000).ack(7000)
                .flags(TcpFlags.ACK | TcpFlags.FIN).build();
        PacketVerdict dropped = send(strayFin);
        assertEquals(PacketVerdict.Kind.DROP, dropped.kind);
        assertEquals(MappingDecision.Reason.STRAY_FROM_RETIRED_END, dropped.decision.reason);

        byte[] junk = new byte[] {1, 2, 3};
        assertEquals(FrameStatus.TRUNCATED_ETHERNET, send(junk).frameStatus);

        // Connection cleanup (Fig. 3, 380): client FIN, node FIN, then the linger.
        send(fromClient(CLIENT_PORT, 9600, 10600, TcpFlags.ACK | TcpFlags.FIN));
        send(FrameBuilder.tcp(NODE_C, HTTP, NODE_B, B_TO_C_PORT).seq(11600).ack(11601)
                .flags(TcpFlags.ACK | TcpFlags.FIN).build());
        clock.addAndGet(2_000);
        List<ExpiredSplice> gone = sw.onTimer();
        assertEquals(1, gone.size());
        assertEquals(ExpiredSplice.Cause.CLOSED, gone.get(0).cause);
        assertNull(sw.tables().level2Table(CLIENT_KEY));
        assertEquals(0, sw.owners().ownerIpOf(CLIENT_KEY), "the ownership record goes with the splice");
    }

    @Test
    void aClientPortUsedAgainAfterItsSpliceEndedIsANewConnectionOfItsNode() {
        LeastConnectionsDistribution counts = new LeastConnectionsDistribution(SERVICE, HTTP, List.of(NODE_A, NODE_B));
        SpliceSwitch s = new SpliceSwitch(counts, new TeardownPolicy(300, 2), clock::get);
        assertEquals(NODE_A, send(s, fromClient(CLIENT_PORT, 3000, 0, TcpFlags.SYN)).nodeIp);
        assertEquals(HandoffOutcome.Kind.APPLIED, s.onHandoff(Figure2.aToB()).kind);
        assertEquals(1, counts.openConnections(NODE_A));
        send(s, fromClient(CLIENT_PORT, 4100, 5100, TcpFlags.ACK | TcpFlags.RST));
        clock.addAndGet(2_000);
        assertEquals(1, s.onTimer().size());
        assertEquals(ConnectionOwners.UNKNOWN, s.owners().ownerIpOf(CLIENT_KEY), "no node serves it any more");
        assertEquals(0, counts.openConnections(NODE_A), "least-connections counts it as ended");
        // The client's kernel hands the port out again (wrk resets its connections at the end of a run).
        PacketVerdict again = send(s, fromClient(CLIENT_PORT, 90000, 0, TcpFlags.SYN));
        assertEquals(PacketVerdict.Kind.NEW_CONNECTION, again.kind);
        assertEquals(again.nodeIp, s.owners().ownerIpOf(CLIENT_KEY), "recorded for the new connection's handoffs");
    }

    @Test
    void aSynOnAClosedSplicesTupleEndsItInsideTheLingerAndIsANewConnection() {
        assertEquals(NODE_A, send(fromClient(CLIENT_PORT, 3000, 0, TcpFlags.SYN)).nodeIp);
        assertEquals(HandoffOutcome.Kind.APPLIED, sw.onHandoff(Figure2.aToB()).kind);
        assertEquals(PacketVerdict.Kind.DROP, send(fromClient(CLIENT_PORT, 777, 0, TcpFlags.SYN)).kind,
                "a SYN on a live splice's tuple is dropped");
        // The serving node closes first, then the client: the client keeps no TIME_WAIT.
        send(FrameBuilder.tcp(NODE_B, HTTP, NODE_A, A_TO_B_PORT).seq(7100).ack(2000)
                .flags(TcpFlags.ACK | TcpFlags.FIN).build());
        send(fromClient(CLIENT_PORT, 4100, 5101, TcpFlags.ACK | TcpFlags.FIN));
        clock.addAndGet(1_000); // inside the 2 s linger
        PacketVerdict reused = send(fromClient(CLIENT_PORT, 90000, 0, TcpFlags.SYN));
        assertEquals(PacketVerdict.Kind.NEW_CONNECTION, reused.kind);
        assertNotNull(reused.endedSplice, "the adapter removes the old splice from its store and switch");
        assertEquals(ExpiredSplice.Cause.PORT_REUSED, reused.endedSplice.cause);
        assertNull(sw.tables().level2Table(CLIENT_KEY), "the old splice is gone from the tables");
        assertFalse(reused.repeatedSyn);
        assertEquals(reused.nodeIp, sw.owners().ownerIpOf(CLIENT_KEY), "the new connection has its node");
        assertTrue(sw.onTimer().isEmpty(), "nothing left for the sweep");
    }

    @Test
    void aSynSentAgainBeforeTheFlowsExistGoesToTheSameNodeAndIsCountedOnce() {
        LeastConnectionsDistribution counts = new LeastConnectionsDistribution(SERVICE, HTTP, List.of(NODE_A, NODE_B));
        SpliceSwitch s = new SpliceSwitch(counts, new TeardownPolicy(300, 2), clock::get);
        PacketVerdict first = send(s, fromClient(CLIENT_PORT, 3000, 0, TcpFlags.SYN));
        assertEquals(NODE_A, first.nodeIp);
        assertFalse(first.repeatedSyn);
        PacketVerdict again = send(s, fromClient(CLIENT_PORT, 3000, 0, TcpFlags.SYN));
        assertEquals(PacketVerdict.Kind.NEW_CONNECTION, again.kind, "steered as before: the switch may lack its flows");
        assertEquals(NODE_A, again.nodeIp, "chosen anew, it would go to B while A answered the first SYN");
        assertTrue(again.repeatedSyn);
        assertEquals(1, counts.openConnections(NODE_A));
        assertEquals(0, counts.openConnections(NODE_B));
        assertEquals(NODE_B, send(s, fromClient(CLIENT_PORT + 1, 3000, 0, TcpFlags.SYN)).nodeIp, "the next connection");
        s.connectionEnded(CLIENT_KEY);
        PacketVerdict reused = send(s, fromClient(CLIENT_PORT, 9000, 0, TcpFlags.SYN));
        assertFalse(reused.repeatedSyn, "once the connection ended, its port starts a new one");
    }

    @Test
    void theTargetsFirstAcksOfTheForwardedRequestAreCopiedToTheForwarder() {
        send(fromClient(CLIENT_PORT, 3000, 0, TcpFlags.SYN));
        assertEquals(HandoffOutcome.Kind.APPLIED, sw.onHandoff(Figure2.aToB()).kind);
        // B's response carries the ack of A's forwarded request (entry 254's handoff ack, 2000) too, but
        // it is the client's alone: held for the controller, B's first segments were overtaken by the next.
        byte[] response = FrameBuilder.tcp(NODE_B, HTTP, NODE_A, A_TO_B_PORT).seq(7000).ack(2000)
                .flags(TcpFlags.ACK | TcpFlags.PSH).timestamps(B_C2_TS + 1, A_C2_TS).payload(new byte[100]).build();
        PacketVerdict data = send(response);
        assertEquals(PacketVerdict.Kind.TRANSLATED, data.kind);
        assertNull(data.forwarderAck, "no copy of a data segment, and none of the budget spent");
        // B acknowledges the request by itself (a fresh connection's first data is acked at once).
        byte[] ofRequest = FrameBuilder.tcp(NODE_B, HTTP, NODE_A, A_TO_B_PORT).seq(7000).ack(2000)
                .flags(TcpFlags.ACK).timestamps(B_C2_TS + 1, A_C2_TS).build();
        for (int copy = 1; copy <= Level2Entry.FORWARDER_ACKS; copy++) {
            byte[] frame = ofRequest.clone();
            PacketVerdict v = send(frame);
            assertEquals(PacketVerdict.Kind.TRANSLATED, v.kind, "the packet itself still goes to the client");
            assertNotNull(v.forwarderAck, "copy " + copy);
            TcpFrame ack = new TcpFrame();
            assertEquals(FrameStatus.OK, ack.parse(v.forwarderAck, 0, v.forwarderAck.length));
            assertEquals(new FourTuple(NODE_B, HTTP, NODE_A, A_TO_B_PORT),
                    new FourTuple(ack.srcIp(), ack.srcPort(), ack.dstIp(), ack.dstPort()), "untranslated, to A");
            assertEquals(NODE_A, PureAck.dstIp(v.forwarderAck));
            assertEquals(2000, ack.ack());
            assertEquals(0, ack.payloadLength(), "nothing but the acknowledgement");
        }
        assertNull(send(ofRequest.clone()).forwarderAck, "the budget is spent");
        byte[] later = FrameBuilder.tcp(NODE_B, HTTP, NODE_A, A_TO_B_PORT).seq(7100).ack(2050)
                .flags(TcpFlags.ACK).timestamps(B_C2_TS + 2, A_C2_TS).build();
        assertNull(send(later).forwarderAck, "acks past the handoff point are the client's business only");
    }

    @Test
    void lookupsStayConsistentWhileHandoffsAndRemovalsRun() throws Exception {
        // Bounded stress: one writer keeps splicing and removing 200 connections; two readers map their packets.
        Figure2 fig = new Figure2();
        for (int i = 0; i < 200; i++) {
            fig.owners.record(new FourTuple(CLIENT, 10000 + i, SERVICE, HTTP), NODE_A);
        }
        PayloadMapper mapper = new PayloadMapper(fig.tables);
        long deadline = System.nanoTime() + 700_000_000L;
        AtomicLong translated = new AtomicLong();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        Runnable reader = () -> {
            Random r = new Random();
            while (System.nanoTime() < deadline && readerFailure.get() == null) {
                int port = 10000 + r.nextInt(200);
                MappingDecision d = mapper.map(CLIENT, port, SERVICE, HTTP, 4100, 5100, TcpFlags.ACK, 10);
                if (d.kind() == MappingDecision.Kind.TRANSLATE) {
                    // A half-written entry would show as the wrong target or delta.
                    assertEquals(NODE_B, d.entry.newDstIp);
                    assertEquals(port + 20000, d.entry.newSrcPort);
                    assertEquals(-2000, d.entry.seqDelta);
                    translated.incrementAndGet();
                }
            }
        };
        Thread r1 = new Thread(reader);
        Thread r2 = new Thread(reader);
        Thread.UncaughtExceptionHandler keep = (t, e) -> readerFailure.compareAndSet(null, e);
        r1.setUncaughtExceptionHandler(keep);
        r2.setUncaughtExceptionHandler(keep);
        r1.start();
        r2.start();
        Random r = new Random(1);
        HandoffOutcome last = null;
        while (System.nanoTime() < deadline) {
            int i = r.nextInt(200);
            FourTuple client = new FourTuple(CLIENT, 10000 + i, SERVICE, HTTP);
            if (fig.tables.level2Table(client) != null) {
                fig.tables.removeSplice(client);
            } else {
                last = fig.processor.process(new HandoffRequest(NODE_A,
                        new ConnectionSnapshot(client.reversed(), 5000, 4000, options(), 1, 1),
                        new ConnectionSnapshot(
                                new FourTuple(NODE_A, 30000 + i, NODE_B, HTTP), 2000, 7000,
                                options(), 1, 1), Figure2.aToB().path));
                assertTrue(last.accepted(), last.toString());
            }
        }
        r1.join();
        r2.join();
        if (readerFailure.get() != null) {
            throw new AssertionError("a reader saw an inconsistent entry", readerFailure.get());
        }
        assertTrue(translated.get() > 0, "readers saw live splices");
    }
}
