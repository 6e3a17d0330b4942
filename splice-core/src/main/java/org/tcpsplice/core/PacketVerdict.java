package org.tcpsplice.core;

import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.packet.FrameStatus;
import org.tcpsplice.core.teardown.ExpiredSplice;

/** What the switch logic did with one frame. */
public final class PacketVerdict {
    public enum Kind {
        /** Rewritten in place; send it out of {@link #outPort}. */
        TRANSLATED,
        /** Send it on, unchanged, towards its own destination. */
        FORWARD_UNCHANGED,
        DROP,
        /** A new connection, given to node {@link #nodeIp} (patent Fig. 4, 430-435). */
        NEW_CONNECTION,
        /** Not a well-formed IPv4/TCP frame ({@link #frameStatus} says why): forwarded unchanged. */
        NOT_PARSED
    }

    public final Kind kind;
    public final FrameStatus frameStatus;
    public final MappingDecision decision;
    public final int outPort;
    public final int nodeIp;
    /**
     * TRANSLATED only, and rarely: the frame as it arrived, payload cut off, when it is the target's
     * acknowledgement of the request the forwarding node sent on its new connection (see
     * FastPathEntries#acksForwardedBytes), for the first {@code Level2Entry.FORWARDER_ACKS} of them.
     * The adapter sends it to the forwarding node (the frame's destination IP), whose kernel would
     * otherwise keep retransmitting the request. Null otherwise.
     */
    public final byte[] forwarderAck;
    /**
     * NEW_CONNECTION only: the client sent this connection's SYN again before the switch had its flows,
     * and it goes to the node the first SYN went to. Adapters steer it as before but need not count it.
     */
    public final boolean repeatedSyn;
    /**
     * NEW_CONNECTION only, and rarely: the closed splice this SYN ended (its client used the port
     * again within the linger). The adapter removes it from its store, fast path and switch as the
     * sweep would, before it steers the new connection. Null otherwise.
     */
    public final ExpiredSplice endedSplice;

    private PacketVerdict(Kind kind, FrameStatus frameStatus, MappingDecision decision, int outPort, int nodeIp,
                          byte[] forwarderAck) {
        this(kind, frameStatus, decision, outPort, nodeIp, forwarderAck, false, null);
    }

    private PacketVerdict(Kind kind, FrameStatus frameStatus, MappingDecision decision, int outPort, int nodeIp,
                          byte[] forwarderAck, boolean repeatedSyn, ExpiredSplice endedSplice) {
        this.kind = kind;
        this.frameStatus = frameStatus;
        this.decision = decision;
        this.outPort = outPort;
        this.nodeIp = nodeIp;
        this.forwarderAck = forwarderAck;
        this.repeatedSyn = repeatedSyn;
        this.endedSplice = endedSplice;
    }

    static PacketVerdict notParsed(FrameStatus status) {
        return new PacketVerdict(Kind.NOT_PARSED, status, null, 0, 0, null);
    }

    static PacketVerdict newConnection(int nodeIp, boolean repeatedSyn, ExpiredSplice endedSplice) {
        return new PacketVerdict(Kind.NEW_CONNECTION, FrameStatus.OK, null, 0, nodeIp, null, repeatedSyn, endedSplice);
    }

    static PacketVerdict translated(MappingDecision decision, byte[] forwarderAck) {
        return new PacketVerdict(Kind.TRANSLATED, FrameStatus.OK, decision, decision.entry.outPort, 0, forwarderAck);
    }

    static PacketVerdict mapped(MappingDecision decision) {
        switch (decision.kind()) {
            case TRANSLATE:
                return translated(decision, null);
            case DROP:
                return new PacketVerdict(Kind.DROP, FrameStatus.OK, decision, 0, 0, null);
            default:
                return new PacketVerdict(Kind.FORWARD_UNCHANGED, FrameStatus.OK, decision, 0, 0, null);
        }
    }

    @Override
    public String toString() {
        return kind + (decision != null ? " " + decision.reason : "")
                + (kind == Kind.NOT_PARSED ? " " + frameStatus : "")
                + (kind == Kind.TRANSLATED ? " out " + outPort : "") + (repeatedSyn ? " (SYN again)" : "");
    }
}
