package org.tcpsplice.core.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tcpsplice.core.SpliceCounters;
import org.tcpsplice.core.SpliceSwitch;
import org.tcpsplice.core.handoff.ConnectionOwners;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.DataPathAddresses;
import org.tcpsplice.core.handoff.HandoffRefusal;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;

/**
 * A node's handoff as a transaction (patent Fig. 4, 440-460, with Fig. 6's node): validate, apply to
 * the tables, record, program (the fast path's map, or the switch's rules), then confirm (the rules
 * confirmed and the records durable; with the fast path at once, see SwitchState#ticketToLead) or undo. Apply, record and program happen under {@link SwitchState}'s
 * lock; the confirmation is waited for by nobody: the returned future completes when it arrives, or
 * with the undo when it does not in time.
 */
final class HandoffTransaction {
    private final SpliceSwitch sw;
    private final SwitchState state;
    private final SwitchProgram program;
    private final SpliceCounters counters;
    private final EngineLog log;

    HandoffTransaction(SpliceSwitch sw, SwitchState state, SwitchProgram program, SpliceCounters counters,
                       EngineLog log) {
        this.sw = sw;
        this.state = state;
        this.program = program;
        this.counters = counters;
        this.log = log;
    }

    /** {@code clientAt}: the client's {MAC, switch port} if known (its SYN, a host service), else null. */
    CompletableFuture<HandoffOutcome> run(Service svc, String nodeId, ConnectionSnapshot clientSide,
                                          ConnectionSnapshot newConnection, long[] clientAt) {
        long start = System.nanoTime();
        Node node = svc.byId(nodeId);
        if (node == null) {
            return refused(HandoffRefusal.UNKNOWN_NODE, nodeId + " is not a configured node");
        }
        Node target = newConnection == null ? null : svc.byIp(newConnection.tuple.dstIp);
        if (newConnection != null && target == null) {
            return refused(HandoffRefusal.MALFORMED, "the new connection goes to "
                    + Ipv4.format(newConnection.tuple.dstIp) + ", which is not a configured node");
        }
        if (!program.available()) {
            return refused(HandoffRefusal.SWITCH_UNAVAILABLE, "this controller does not program the switch (none is"
                    + " connected, or another instance of a cluster is its master); nothing was changed");
        }
        if (clientSide != null && clientAt == null && firstHandoffOfAKnownConnection(clientSide.tuple)) {
            return refused(HandoffRefusal.CLIENT_NOT_LOCATED, "where the client " + Ipv4.format(clientSide.tuple.dstIp)
                    + " is attached is not known (its SYN came before this controller, and no host service knows"
                    + " it); nothing was changed");
        }
        DataPathAddresses path = new DataPathAddresses(node.mac, target == null ? 0 : target.mac,
                target == null ? 0 : target.switchPort, clientAt == null ? 0 : clientAt[0],
                clientAt == null ? 0 : (int) clientAt[1], svc.vipMac);
        FourTuple clientKey;
        Map<FourTuple, Level2Entry> before;
        HandoffOutcome out;
        CompletableFuture<Void> applied;
        CompletableFuture<Void> committed;
        synchronized (state.lock()) {
            FourTuple candidate = clientSide == null ? null : sw.tables().clientKeyOf(clientSide.tuple);
            before = candidate == null ? Map.of() : sw.tables().capture(candidate);
            out = sw.onHandoff(new HandoffRequest(node.ip, clientSide, newConnection, path));
            if (!out.accepted()) {
                counters.count("handoffs_refused_" + out.refusal);
                return CompletableFuture.completedFuture(out);
            }
            clientKey = out.clientKey;
            if (out.kind == HandoffOutcome.Kind.APPLIED) {
                try {
                    applied = state.write(clientKey);
                } catch (Exception e) {
                    state.putBack(clientKey, before);
                    counters.count("handoffs_unconfirmed");
                    return CompletableFuture.completedFuture(undone(clientKey, e.getMessage()));
                }
            } else {
                applied = CompletableFuture.completedFuture(null); // a repeat waits only for what it repeats
            }
            committed = state.ticketToLead();
        }
        state.lead(); // outside the lock: a commit must not hold up other handoffs' writes
        long timeout = svc.confirmTimeoutMillis;
        return CompletableFuture.allOf(applied, committed).orTimeout(timeout, TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> {
                    if (failure != null) {
                        counters.count("handoffs_unconfirmed");
                        if (out.kind == HandoffOutcome.Kind.APPLIED) {
                            synchronized (state.lock()) {
                                state.putBack(clientKey, before);
                            }
                        }
                        return undone(clientKey, why(failure, timeout));
                    }
                    counters.count(out.kind == HandoffOutcome.Kind.APPLIED ? "handoffs_applied" : "handoffs_repeated");
                    counters.handoffLatency(System.nanoTime() - start);
                    log.debug(() -> "handoff by " + nodeId + ": " + clientKey + " now served by " + target);
                    return out;
                });
    }

    /**
     * A connection the VIP front end gave to a node that has had no handoff yet: its first handoff needs
     * the client's MAC and port, which only its SYN (or a host service) tells. Unknown connections are
     * splice-core's to refuse.
     */
    private boolean firstHandoffOfAKnownConnection(FourTuple serverToClient) {
        return sw.tables().level2Table(serverToClient) == null && sw.tables().level2Table(serverToClient.reversed()) == null
                && sw.owners().ownerIpOf(serverToClient.reversed()) != ConnectionOwners.UNKNOWN;
    }

    private CompletableFuture<HandoffOutcome> refused(HandoffRefusal refusal, String message) {
        counters.count("handoffs_refused_" + refusal);
        return CompletableFuture.completedFuture(HandoffOutcome.refusedBeforeLookup(refusal, message));
    }

    private static HandoffOutcome undone(FourTuple clientKey, String why) {
        return HandoffOutcome.refused(HandoffRefusal.SWITCH_UNAVAILABLE, "the switch did not confirm the rules ("
                + why + "); the handoff was undone, keep serving the connection", clientKey);
    }

    private static String why(Throwable failure, long timeoutMillis) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof TimeoutException ? "no answer within " + timeoutMillis + " ms" : String.valueOf(cause.getMessage());
    }
}
