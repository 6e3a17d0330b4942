package org.tcpsplice.core.map;

import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.MacAddress;
import org.tcpsplice.core.seq.SeqNum;

/**
 * One row of a level-2 mapping table (patent Fig. 2: entries 234, 236, 254, 274): the handoff
 * point, the deltas, and where the packet goes, plus what a real data path needs besides
 * (the new source, MACs, the switch port, timestamp deltas and the window-scale adjustment).
 *
 * <p>All numbers are in the sequence space of the packets that are looked up under this entry's
 * level-1 key: a packet is in this entry's range when its seq is at or after {@link #handoffSeq}
 * and (if it carries an ACK) its ack at or after {@link #handoffAck}. Translating adds the deltas.
 *
 * <p>A level-2 table is a chain of entries, newest first ({@link #older}), as the patent keeps
 * later entries at the top. Entries are immutable (a handoff installs a new head), but for one
 * counter: {@link #takeForwarderAck()}.
 */
public class Level2Entry {
    /**
     * How many of the target's acks of the forwarded request are copied to the node that forwarded
     * it (docs/handoff-race.md): the first few, in case one is lost.
     */
    public static final int FORWARDER_ACKS = 3;

    /** Columns 222/224: where in this direction's numbering the handoff happened. */
    public final int handoffSeq;
    public final int handoffAck;
    /** Columns 226/228: added to seq and ack (and SACK edges, which live in the ack space). */
    public final int seqDelta;
    public final int ackDelta;
    /** Timestamp option deltas: each end's TS clock has its own random offset on Linux (PAWS). */
    public final int tsvalDelta;
    public final int tsecrDelta;
    /** Columns 230/232 (new destination) and the matching new source: the rewritten 4-tuple. */
    public final int newSrcIp;
    public final int newDstIp;
    public final char newSrcPort;
    public final char newDstPort;
    /** Both MACs in 12 bytes (source, then the destination's top 16 bits; its low 32 bits apart). */
    private final long srcMacAndDstHigh;
    private final int dstMacLow;
    /** The switch port the translated packet leaves on. */
    public final int outPort;
    /** Window-scale shifts: the window field is in units of 2^from and must leave in units of 2^to. */
    public final byte windowShiftFrom;
    public final byte windowShiftTo;
    /** True for a reverse entry (254, 274), whose packets go back to the client. */
    public final boolean towardClient;
    /** The next older entry of the same level-2 table, or null. */
    public final Level2Entry older;
    /**
     * Copies of the forwarder's ACK still to make (reverse entries only). Kept here, in a byte that
     * the object's padding has room for, so that it costs no memory and ends with the splice. Not
     * synchronized: two packet threads racing can make one copy too many, which TCP ignores.
     */
    private byte forwarderAcksLeft = FORWARDER_ACKS;

    Level2Entry(Builder b, Level2Entry older) {
        this.handoffSeq = b.handoffSeq;
        this.handoffAck = b.handoffAck;
        this.seqDelta = b.seqDelta;
        this.ackDelta = b.ackDelta;
        this.tsvalDelta = b.tsvalDelta;
        this.tsecrDelta = b.tsecrDelta;
        this.newSrcIp = b.rewrite.srcIp;
        this.newDstIp = b.rewrite.dstIp;
        this.newSrcPort = (char) b.rewrite.srcPort;
        this.newDstPort = (char) b.rewrite.dstPort;
        this.srcMacAndDstHigh = (b.srcMac << 16) | ((b.dstMac >>> 32) & 0xFFFF);
        this.dstMacLow = (int) b.dstMac;
        this.outPort = b.outPort;
        this.windowShiftFrom = (byte) b.windowShiftFrom;
        this.windowShiftTo = (byte) b.windowShiftTo;
        this.towardClient = b.towardClient;
        this.older = older;
    }

    /** Copy constructor for {@link SealedLevel2Entry}. */
    Level2Entry(Level2Entry e) {
        this(e.toBuilder(), e.older);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().handoff(handoffSeq, handoffAck).deltas(seqDelta, ackDelta)
                .timestampDeltas(tsvalDelta, tsecrDelta).rewriteTo(rewrittenTuple())
                .macs(newSrcMac(), newDstMac()).outPort(outPort)
                .windowShift(windowShiftFrom, windowShiftTo).towardClient(towardClient);
    }

    public long newSrcMac() {
        return srcMacAndDstHigh >>> 16;
    }

    public long newDstMac() {
        return ((srcMacAndDstHigh & 0xFFFF) << 32) | (dstMacLow & 0xFFFF_FFFFL);
    }

    /** The 4-tuple a translated packet carries. */
    public FourTuple rewrittenTuple() {
        return new FourTuple(newSrcIp, newSrcPort, newDstIp, newDstPort);
    }

    /**
     * Patent Fig. 5, step 550: does this entry's range hold a packet with these numbers?
     * Without the ACK flag the ack field means nothing and is not compared.
     */
    public boolean holds(int seq, int ack, boolean hasAck) {
        return SeqNum.atOrAfter(seq, handoffSeq) && (!hasAck || SeqNum.atOrAfter(ack, handoffAck));
    }

    /** The oldest entry of this level-2 table: the first handoff, where the original sender let go. */
    public Level2Entry oldest() {
        Level2Entry e = this;
        while (e.older != null) {
            e = e.older;
        }
        return e;
    }

    /**
     * Whether one more of the target's acks of the handoff point is to be copied to the forwarding
     * node; counts down from {@link #FORWARDER_ACKS}.
     */
    public boolean takeForwarderAck() {
        if (forwarderAcksLeft <= 0) {
            return false;
        }
        forwarderAcksLeft--;
        return true;
    }

    /** True when the sender of this key's packets has since handed the connection on. */
    public boolean sealed() {
        return false;
    }

    /** The first seq past the sender's last byte before it handed on (only when {@link #sealed()}). */
    public int sealSeq() {
        throw new IllegalStateException("not sealed");
    }

    /** The sender's ack at the moment it handed on (only when {@link #sealed()}). */
    public int sealAck() {
        throw new IllegalStateException("not sealed");
    }

    /** This entry, marked as handed on at (seq, ack) of its own sender. */
    public Level2Entry sealedAt(int seq, int ack) {
        return new SealedLevel2Entry(this, seq, ack);
    }

    /** Same translation and range (ignores {@link #older} and the seal): used for idempotent handoffs. */
    public boolean sameMapping(Level2Entry o) {
        return handoffSeq == o.handoffSeq && handoffAck == o.handoffAck && seqDelta == o.seqDelta
                && ackDelta == o.ackDelta && tsvalDelta == o.tsvalDelta && tsecrDelta == o.tsecrDelta
                && newSrcIp == o.newSrcIp && newDstIp == o.newDstIp && newSrcPort == o.newSrcPort
                && newDstPort == o.newDstPort && srcMacAndDstHigh == o.srcMacAndDstHigh && dstMacLow == o.dstMacLow
                && outPort == o.outPort && windowShiftFrom == o.windowShiftFrom
                && windowShiftTo == o.windowShiftTo && towardClient == o.towardClient;
    }

    @Override
    public String toString() {
        return (towardClient ? "reverse" : "forward") + " entry [handoff seq/ack "
                + SeqNum.unsigned(handoffSeq) + "/" + SeqNum.unsigned(handoffAck)
                + ", deltas " + seqDelta + "/" + ackDelta + ", ts deltas " + tsvalDelta + "/" + tsecrDelta
                + ", to " + rewrittenTuple() + " " + MacAddress.format(newSrcMac()) + "->"
                + MacAddress.format(newDstMac()) + " port " + outPort
                + ", wscale " + windowShiftFrom + "->" + windowShiftTo
                + (sealed() ? ", sealed at " + SeqNum.unsigned(sealSeq()) + "/" + SeqNum.unsigned(sealAck()) : "")
                + "]";
    }

    /** Builds entries; used by handoff processing, the test-vector reader and tests. */
    public static final class Builder {
        int handoffSeq;
        int handoffAck;
        int seqDelta;
        int ackDelta;
        int tsvalDelta;
        int tsecrDelta;
        FourTuple rewrite = new FourTuple(0, 0, 0, 0);
        long srcMac;
        long dstMac;
        int outPort;
        int windowShiftFrom;
        int windowShiftTo;
        boolean towardClient;

        public Builder handoff(int seq, int ack) {
            this.handoffSeq = seq;
            this.handoffAck = ack;
            return this;
        }

        public Builder deltas(int seq, int ack) {
            this.seqDelta = seq;
            this.ackDelta = ack;
            return this;
        }

        public Builder timestampDeltas(int tsval, int tsecr) {
            this.tsvalDelta = tsval;
            this.tsecrDelta = tsecr;
            return this;
        }

        public Builder rewriteTo(FourTuple tuple) {
            this.rewrite = tuple;
            return this;
        }

        public Builder macs(long src, long dst) {
            if ((src >>> 48) != 0 || (dst >>> 48) != 0) {
                throw new IllegalArgumentException("a MAC address has 48 bits");
            }
            this.srcMac = src;
            this.dstMac = dst;
            return this;
        }

        public Builder outPort(int port) {
            this.outPort = port;
            return this;
        }

        public Builder windowShift(int from, int to) {
            if (from < 0 || from > 14 || to < 0 || to > 14) {
                throw new IllegalArgumentException("window scale shift must be 0..14 (RFC 7323): " + from + ", " + to);
            }
            this.windowShiftFrom = from;
            this.windowShiftTo = to;
            return this;
        }

        public Builder towardClient(boolean towardClient) {
            this.towardClient = towardClient;
            return this;
        }

        public Level2Entry build() {
            return new Level2Entry(this, null);
        }

        /** Builds the entry on top of an existing level-2 table (it becomes the newest). */
        public Level2Entry buildOnTop(Level2Entry olderEntries) {
            return new Level2Entry(this, olderEntries);
        }
    }
}
