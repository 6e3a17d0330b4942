package org.tcpsplice.core.map;

import org.tcpsplice.core.handoff.ConnectionOwners;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.HandoffRefusal;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.seq.SeqNum;

/**
 * Patent Fig. 4, the handoff branch (decision 440, steps 445-460): validates a node's handoff
 * and records it in the level-1 map and level-2 tables.
 *
 * <p>For handoffs A to B (c1 spliced to c2) and B to C (c2 to c3) it installs:
 * <ul>
 *   <li>in the client's level-2 table (220) a forward entry (234, then 236) that rewrites client
 *       packets into the newest connection towards the newest node;</li>
 *   <li>a reverse level-1 entry (214, 216) for the new node's replies, with a one-entry level-2
 *       table (240, 260) that rewrites them back into c1 towards the client;</li>
 *   <li>on a later handoff, a seal on the previous node's reverse entry: what that node sends
 *       past the handoff point is stray (its socket was let go) and must reach nobody.</li>
 * </ul>
 * A refused handoff leaves every table as it was; a repeated identical handoff is a no-op.
 */
public final class HandoffProcessor {
    private final SpliceTables tables;
    private final ConnectionOwners owners;

    public HandoffProcessor(SpliceTables tables, ConnectionOwners owners) {
        this.tables = tables;
        this.owners = owners;
    }

    public HandoffOutcome process(HandoffRequest request) {
        String problem = request.problem();
        if (problem != null) {
            return HandoffOutcome.refused(HandoffRefusal.MALFORMED, problem, null);
        }
        return tables.underWriteLock(() -> processLocked(request));
    }

    private HandoffOutcome processLocked(HandoffRequest request) {
        ConnectionSnapshot held = request.clientSide;
        ConnectionSnapshot next = request.newConnection;

        // Which connection is the node handing on: a client's c1, or a c2 it was itself handed?
        Level2Entry previousReverse = tables.getLocked(held.tuple);
        ClientSide c1;
        boolean requesterOwns;
        if (previousReverse != null) {
            if (!previousReverse.towardClient) {
                return HandoffOutcome.refused(HandoffRefusal.CONFLICT,
                        "the client-side connection " + held.tuple + " is a client key of another splice", null);
            }
            Level2Entry clientTable = tables.getLocked(previousReverse.rewrittenTuple().reversed());
            c1 = ClientSide.through(previousReverse, clientTable, held);
            requesterOwns = !previousReverse.sealed() && held.tuple.srcIp == request.requesterIp;
        } else {
            c1 = ClientSide.direct(held, request.path);
            if (tables.getLocked(c1.clientKey()) != null) {
                requesterOwns = false; // already handed on by its first server; only a repeat is allowed
            } else {
                int owner = owners.ownerIpOf(c1.clientKey());
                if (owner == ConnectionOwners.UNKNOWN) {
                    return HandoffOutcome.refused(HandoffRefusal.UNKNOWN_CONNECTION,
                            "no node serves connection " + c1.clientKey(), c1.clientKey());
                }
                requesterOwns = owner == request.requesterIp;
            }
        }
        FourTuple clientKey = c1.clientKey();
        Level2Entry clientTable = tables.getLocked(clientKey);
        if (clientTable != null && clientTable.towardClient) {
            return HandoffOutcome.refused(HandoffRefusal.CONFLICT,
                    "connection " + clientKey + " is another splice's node side", clientKey);
        }

        Level2Entry.Builder forwardBuilder = forwardEntry(c1, next, request);
        Level2Entry forward = forwardBuilder.buildOnTop(clientTable);
        Level2Entry reverse = reverseEntry(c1, next).build();

        if (clientTable != null && clientTable.rewrittenTuple().equals(next.tuple)) {
            Level2Entry installedReverse = tables.getLocked(next.tuple.reversed());
            if (clientTable.sameMapping(forward) && installedReverse != null && installedReverse.sameMapping(reverse)) {
                return HandoffOutcome.duplicate(clientKey, clientTable, installedReverse);
            }
            return HandoffOutcome.refused(HandoffRefusal.CONFLICT,
                    "connection " + clientKey + " was already spliced to " + next.tuple + " with other numbers",
                    clientKey);
        }
        if (!requesterOwns) {
            return HandoffOutcome.refused(HandoffRefusal.NOT_CURRENT_OWNER,
                    "node " + Ipv4.format(request.requesterIp) + " does not currently serve " + clientKey, clientKey);
        }
        if (tables.getLocked(next.tuple) != null || tables.getLocked(next.tuple.reversed()) != null) {
            return HandoffOutcome.refused(HandoffRefusal.CONFLICT,
                    "the new connection " + next.tuple + " is already part of a splice", clientKey);
        }
        if (clientTable != null && (SeqNum.before(forward.handoffSeq, clientTable.handoffSeq)
                || SeqNum.before(forward.handoffAck, clientTable.handoffAck))) {
            return HandoffOutcome.refused(HandoffRefusal.STALE_SEQUENCE,
                    "handoff at client seq/ack " + SeqNum.unsigned(forward.handoffSeq) + "/"
                            + SeqNum.unsigned(forward.handoffAck) + " lies before the newest handoff at "
                            + SeqNum.unsigned(clientTable.handoffSeq) + "/" + SeqNum.unsigned(clientTable.handoffAck),
                    clientKey);
        }
        String mismatch = optionsMismatch(c1, next);
        if (mismatch != null) {
            return HandoffOutcome.refused(HandoffRefusal.OPTIONS_MISMATCH, mismatch, clientKey);
        }

        // Steps 445-452 (first handoff: new level-1 entry and level-2 table) and 456 (add the entry):
        // one put, since the new head carries the older entries that may still see packets.
        if (clientTable != null && clientTable.older != null) {
            forward = forwardBuilder.buildOnTop(withoutOlderRanges(clientTable));
        }
        tables.putLocked(clientKey, forward, 0);
        // Steps 458-460: the reverse level-1 entry and its one-entry level-2 table.
        tables.putLocked(next.tuple.reversed(), reverse, 0);
        if (previousReverse != null) {
            tables.putLocked(held.tuple, previousReverse.sealedAt(held.sndNxt, held.rcvNxt), 0);
        }
        return HandoffOutcome.applied(clientKey, forward, reverse);
    }

    /**
     * The handing-off node's range alone: the ranges before it, and their nodes' reverse entries, leave
     * the tables. The patent keeps an older range for data still in flight, and none is: the node that
     * handed the connection to this one had every byte it sent acknowledged by the client before its
     * handoff (the agent waits for SIOCOUTQ = 0, docs/handoff-race.md), and the client had received this
     * node's data, whose acks cover every client byte that node took. So a connection handed off many
     * times keeps two ranges, not one per handoff.
     */
    private Level2Entry withoutOlderRanges(Level2Entry current) {
        for (Level2Entry e = current.older; e != null; e = e.older) {
            tables.removeKeyLocked(e.rewrittenTuple().reversed());
        }
        return current.toBuilder().build();
    }

    /**
     * Entry 234/236: client packets on c1 become the node's packets on the new connection.
     * At the handoff point client seq {@code serverRcvNxt} is the node's {@code next.sndNxt}, and the
     * client's ack {@code serverSndNxt} is the node's {@code next.rcvNxt}.
     */
    private static Level2Entry.Builder forwardEntry(ClientSide c1, ConnectionSnapshot next, HandoffRequest request) {
        return Level2Entry.builder()
                .handoff(c1.serverRcvNxt, c1.serverSndNxt)
                .deltas(next.sndNxt - c1.serverRcvNxt, next.rcvNxt - c1.serverSndNxt)
                .timestampDeltas(c1.timestamps ? forwardTsvalDelta(c1, next) : 0,
                        c1.timestamps ? -reverseTsvalDelta(c1, next) : 0)
                .rewriteTo(next.tuple)
                .macs(request.path.requesterMac, request.path.targetMac)
                .outPort(request.path.targetSwitchPort)
                .windowShift(c1.clientWindowShift, next.options.localWindowShift)
                .towardClient(false);
    }

    /** Entry 254/274: the new node's packets become the server end's packets on c1. */
    private static Level2Entry.Builder reverseEntry(ClientSide c1, ConnectionSnapshot next) {
        return Level2Entry.builder()
                .handoff(next.rcvNxt, next.sndNxt)
                .deltas(c1.serverSndNxt - next.rcvNxt, c1.serverRcvNxt - next.sndNxt)
                .timestampDeltas(c1.timestamps ? reverseTsvalDelta(c1, next) : 0,
                        c1.timestamps ? -forwardTsvalDelta(c1, next) : 0)
                .rewriteTo(c1.serverToClient)
                .macs(c1.serverMac, c1.clientMac)
                .outPort(c1.clientSwitchPort)
                .windowShift(next.options.peerWindowShift, c1.serverWindowShift)
                .towardClient(true);
    }

    /** Moves the client's TSvals onto the node's clock of the new connection, so the target's PAWS accepts them. */
    private static int forwardTsvalDelta(ClientSide c1, ConnectionSnapshot next) {
        return next.localTsClock - c1.clientTsRecent;
    }

    /** Moves the target's TSvals onto the clock the client has seen on c1. */
    private static int reverseTsvalDelta(ClientSide c1, ConnectionSnapshot next) {
        return c1.serverTsClock - next.peerTsRecent;
    }

    private static String optionsMismatch(ClientSide c1, ConnectionSnapshot next) {
        if (c1.timestamps != next.options.timestamps) {
            return "timestamps are " + (c1.timestamps ? "on" : "off") + " on the client connection but "
                    + (next.options.timestamps ? "on" : "off") + " on the new connection";
        }
        if (c1.clientMss > 0 && next.options.localMss > c1.clientMss) {
            return "the new connection was opened with MSS " + next.options.localMss
                    + ", larger than the client's " + c1.clientMss + " (open it with the client's MSS, patent Fig. 3)";
        }
        return null;
    }
}
