package org.tcpsplice.core.map;

import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.seq.SeqNum;

/**
 * Patent Fig. 5, mapping a payload to its handling node: match the packet's 4-tuple in the level-1
 * map (510/520), follow it to the level-2 table (530), walk the entries newest first (540-560) and
 * take the first whose range holds the packet's seq/ack (550/565); with no match, the packet goes
 * to its own destination unchanged (522/580).
 *
 * <p>Beyond the patent's flowchart, packets from ends that let go are recognised (docs/architecture.md,
 * "Old ends"): a packet whose <em>reverse</em> 4-tuple is a level-1 key comes from an
 * end that handed its connection on (the first node's c1 end, or a node's end of the connection it
 * handed on); it may pass only if it lies inside what that end sent before the handoff.
 */
public final class PayloadMapper {
    private final SpliceTables tables;

    public PayloadMapper(SpliceTables tables) {
        this.tables = tables;
    }

    /**
     * @param segmentLength payload bytes plus one for SYN and one for FIN (the sequence space used)
     */
    public MappingDecision map(int srcIp, int srcPort, int dstIp, int dstPort,
                               int seq, int ack, int flags, int segmentLength) {
        boolean hasAck = (flags & TcpFlags.ACK) != 0;
        Level2Entry table = tables.level2Table(srcIp, srcPort, dstIp, dstPort);
        if (table != null) {
            if ((flags & TcpFlags.SYN) != 0) {
                return MappingDecision.of(MappingDecision.Reason.SYN_ON_SPLICED_TUPLE);
            }
            if (table.sealed() && (segmentLength == 0
                    || strayPast(table.sealSeq(), table.sealAck(), seq, ack, flags, segmentLength))) {
                // A node that handed the connection on only ever owes the client retransmitted data: its
                // pure ACKs (duplicates provoked by retransmissions it receives) are superseded by the
                // current node's, and late ones would reach a client that has closed.
                return MappingDecision.of(MappingDecision.Reason.STRAY_PAST_HANDOFF);
            }
            for (Level2Entry entry = table; entry != null; entry = entry.older) {
                if (entry.holds(seq, ack, hasAck)) {
                    return MappingDecision.translate(entry, entry == table);
                }
            }
            return MappingDecision.of(MappingDecision.Reason.BEFORE_FIRST_HANDOFF);
        }
        Level2Entry opposite = tables.level2Table(dstIp, dstPort, srcIp, srcPort);
        if (opposite != null) {
            // The end that let go sent up to the oldest entry's handoff ack, and had received up to its handoff seq.
            Level2Entry firstHandoff = opposite.oldest();
            if ((flags & TcpFlags.SYN) != 0
                    || strayPast(firstHandoff.handoffAck, firstHandoff.handoffSeq, seq, ack, flags, segmentLength)) {
                return MappingDecision.of(MappingDecision.Reason.STRAY_FROM_RETIRED_END);
            }
            return MappingDecision.of(MappingDecision.Reason.RETIRED_END_OLD_RANGE);
        }
        return MappingDecision.of(MappingDecision.Reason.NO_LEVEL1_MATCH);
    }

    /**
     * True when a segment from an end that let go at (lastSeq, lastAck) is not a retransmission of
     * what it sent before: it closes (FIN/RST), carries bytes past lastSeq, or acks bytes it never got.
     */
    private static boolean strayPast(int lastSeq, int lastAck, int seq, int ack, int flags, int segmentLength) {
        if ((flags & (TcpFlags.FIN | TcpFlags.RST)) != 0) {
            return true;
        }
        if (SeqNum.after(SeqNum.add(seq, segmentLength), lastSeq)) {
            return true;
        }
        return (flags & TcpFlags.ACK) != 0 && SeqNum.after(ack, lastAck);
    }
}
