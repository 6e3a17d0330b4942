package org.tcpsplice.core;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.tcpsplice.core.distribution.NodeDistribution;
import org.tcpsplice.core.distribution.OwnerTable;
import org.tcpsplice.core.handoff.ConnectionOwners;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.HandoffProcessor;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.map.PayloadMapper;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.FrameStatus;
import org.tcpsplice.core.packet.PacketTranslator;
import org.tcpsplice.core.packet.PureAck;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.rules.FastPathEntries;
import org.tcpsplice.core.teardown.ExpiredSplice;
import org.tcpsplice.core.teardown.TeardownPolicy;
import org.tcpsplice.core.teardown.TeardownTracker;

/**
 * The switch processing of patent Fig. 4, in one place, for a controller to drive:
 * <ul>
 *   <li>405-420 {@link #onTimer}: TCP_WAIT (idle) and closed splices are cleaned up;</li>
 *   <li>430-435 {@link #onPacket} with a SYN: a new connection is given to a node (round-robin by default);</li>
 *   <li>440-460 {@link #onHandoff}: a node's handoff updates the level-1/level-2 tables;</li>
 *   <li>470 {@link #onPacket} otherwise: the payload is mapped (Fig. 5) and translated.</li>
 * </ul>
 * Thread-safe: packets may be processed on several threads while handoffs and sweeps run.
 */
public final class SpliceSwitch {
    private final SpliceTables tables;
    private final NodeDistribution distribution;
    private final OwnerTable owners;
    private final HandoffProcessor handoffs;
    private final PayloadMapper mapper;
    private final TeardownTracker teardown;

    public SpliceSwitch(NodeDistribution distribution, TeardownPolicy policy, LongSupplier clockMillis) {
        this(new SpliceTables(), distribution, policy, clockMillis);
    }

    /** Over existing tables (restored from a store, or shared with a test). */
    public SpliceSwitch(SpliceTables tables, NodeDistribution distribution, TeardownPolicy policy,
                        LongSupplier clockMillis) {
        this.tables = tables;
        this.distribution = distribution;
        this.owners = new OwnerTable();
        this.handoffs = new HandoffProcessor(tables, owners);
        this.mapper = new PayloadMapper(tables);
        this.teardown = new TeardownTracker(tables, policy, clockMillis);
    }

    public SpliceTables tables() {
        return tables;
    }

    public OwnerTable owners() {
        return owners;
    }

    public TeardownPolicy teardownPolicy() {
        return teardown.policy();
    }

    public void setTeardownPolicy(TeardownPolicy next) {
        teardown.setPolicy(next);
    }

    /**
     * Decision 405: removes expired splices; the controller removes their rules, closes idle nodes'
     * ends, and removes the client connections' steering rules (see {@link #connectionEnded}).
     */
    public List<ExpiredSplice> onTimer() {
        return onTimer(clientKey -> false);
    }

    /**
     * Decision 405 where part of the data path is elsewhere: {@code activeElsewhere} says whether a
     * splice that looks idle here carried packets within the idle timeout (see
     * {@link TeardownTracker#sweep}).
     */
    public List<ExpiredSplice> onTimer(Predicate<FourTuple> activeElsewhere) {
        List<ExpiredSplice> expired = teardown.sweep(activeElsewhere);
        for (ExpiredSplice e : expired) {
            connectionEnded(e.clientKey);
        }
        return expired;
    }

    /**
     * A client connection is over: its splice expired, or its steering rule did. Its node no longer
     * serves it, and the next SYN on the same four tuple is a new connection (Fig. 4, 430-435). So the
     * controller must also remove the connection's steering rules when its splice expires: left in
     * the switch, they would carry a client's reused port (wrk resets its connections and the kernel
     * hands the ports out again) to the old node without a packet-in, and that node's handoff would be
     * refused as an unknown connection.
     */
    public void connectionEnded(FourTuple clientToService) {
        int owner = owners.forget(clientToService);
        if (owner != OwnerTable.UNKNOWN) {
            distribution.connectionEnded(owner);
        }
    }

    /** Decision 440. */
    public HandoffOutcome onHandoff(HandoffRequest request) {
        return handoffs.process(request);
    }

    /**
     * Decisions 430 and 470 for one frame. A translated frame is rewritten in place.
     * {@code scratch} is the caller's reusable parse state (one per thread).
     */
    public PacketVerdict onPacket(byte[] frame, int offset, int length, TcpFrame scratch) {
        FrameStatus status = scratch.parse(frame, offset, length);
        if (status != FrameStatus.OK) {
            return PacketVerdict.notParsed(status);
        }
        int flags = scratch.flags();
        MappingDecision decision = mapper.map(scratch.srcIp(), scratch.srcPort(), scratch.dstIp(), scratch.dstPort(),
                scratch.seq(), scratch.ack(), flags, scratch.segmentLength());
        if ((flags & (TcpFlags.SYN | TcpFlags.ACK)) == TcpFlags.SYN) {
            PacketVerdict newConnection = onSyn(
                    new FourTuple(scratch.srcIp(), scratch.srcPort(), scratch.dstIp(), scratch.dstPort()), decision);
            if (newConnection != null) {
                return newConnection;
            }
        }
        if (decision.kind() == MappingDecision.Kind.TRANSLATE) {
            Level2Entry entry = decision.entry;
            FourTuple clientKey = entry.towardClient
                    ? entry.rewrittenTuple().reversed()
                    : new FourTuple(scratch.srcIp(), scratch.srcPort(), scratch.dstIp(), scratch.dstPort());
            teardown.onPacket(clientKey, !entry.towardClient, flags);
            // Before the rewrite: the forwarding node needs the target's ACK as the target sent it.
            byte[] forwarderAck = FastPathEntries.acksForwardedBytes(entry, scratch) && entry.takeForwarderAck()
                    ? PureAck.of(Arrays.copyOfRange(frame, offset, offset + length), scratch) : null;
            PacketTranslator.translate(scratch, entry);
            return PacketVerdict.translated(decision, forwarderAck);
        }
        return PacketVerdict.mapped(decision);
    }

    /** Patent Fig. 4, 430-435: a SYN that opens a connection to the service gets its node; null for any other SYN. */
    private PacketVerdict onSyn(FourTuple connection, MappingDecision decision) {
        ExpiredSplice ended = null;
        if (decision.reason == MappingDecision.Reason.SYN_ON_SPLICED_TUPLE) {
            // A client's new connection on the tuple of a splice that has closed ends that splice now;
            // on a live splice's tuple the SYN stays dropped.
            ended = teardown.endClosedOnNewSyn(connection);
            if (ended == null) {
                return null;
            }
            connectionEnded(connection);
        } else if (decision.reason != MappingDecision.Reason.NO_LEVEL1_MATCH) {
            return null;
        }
        int owner = owners.ownerIpOf(connection);
        if (owner != ConnectionOwners.UNKNOWN) {
            // The client's SYN again, before the switch had the connection's flows (the controller was
            // slow, or the first SYN was lost): the node the first one went to. Chosen anew, the
            // connection would be split between two nodes (the first one's SYN-ACK, the other's flows),
            // and least-connections would count it twice.
            return PacketVerdict.newConnection(owner, true, ended);
        }
        int node = distribution.choose(connection);
        if (node == NodeDistribution.NOT_DISTRIBUTED) {
            return null;
        }
        owners.record(connection, node);
        return PacketVerdict.newConnection(node, false, ended);
    }
}
