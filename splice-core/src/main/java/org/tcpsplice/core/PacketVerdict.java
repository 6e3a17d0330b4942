package org.tcpsplice.core;

import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.packet.FrameStatus;

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

    private PacketVerdict(Kind kind, FrameStatus frameStatus, MappingDecision decision, int outPort, int nodeIp) {
        this.kind = kind;
        this.frameStatus = frameStatus;
        this.decision = decision;
        this.outPort = outPort;
        this.nodeIp = nodeIp;
    }

    static PacketVerdict notParsed(FrameStatus status) {
        return new PacketVerdict(Kind.NOT_PARSED, status, null, 0, 0);
    }

    static PacketVerdict newConnection(int nodeIp) {
        return new PacketVerdict(Kind.NEW_CONNECTION, FrameStatus.OK, null, 0, nodeIp);
    }

    static PacketVerdict mapped(MappingDecision decision) {
        switch (decision.kind()) {
            case TRANSLATE:
                return new PacketVerdict(Kind.TRANSLATED, FrameStatus.OK, decision, decision.entry.outPort, 0);
            case DROP:
                return new PacketVerdict(Kind.DROP, FrameStatus.OK, decision, 0, 0);
            default:
                return new PacketVerdict(Kind.FORWARD_UNCHANGED, FrameStatus.OK, decision, 0, 0);
        }
    }

    @Override
    public String toString() {
        return kind + (decision != null ? " " + decision.reason : "")
                + (kind == Kind.NOT_PARSED ? " " + frameStatus : "")
                + (kind == Kind.TRANSLATED ? " out " + outPort : "");
    }
}
