package org.tcpsplice.core.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.Bytes;
import org.tcpsplice.core.packet.PuntTag;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.packet.TcpFrame;

/**
 * What the fast path (the XDP program in front of the switch ports) holds for one splice, and what it
 * does with a frame. It holds every 4-tuple of the splice ({@link SpliceTables#tuplesOf}), so that the
 * switch needs no per-splice rules:
 * <ul>
 *   <li>a key whose newest level-2 entry is unsealed holds that entry, and the program translates
 *   packets in its range (the newest) itself; Fig. 5 picks among all entries, so older ranges are the
 *   controller's;</li>
 *   <li>a retired end (the end a node let go of at its handoff: its c1 end, or its end of the new
 *   connection) holds how far that node may still send, the first handoff's numbers (Fig. 5's
 *   forward-unchanged case for it): what stays within passes untouched, to the switch's own rules, as
 *   the controller would send it on. That is first of all the request the handing-off node forwards
 *   on its new connection, which would otherwise go through the controller on every handoff;</li>
 *   <li>a sealed sender's key holds nothing to translate by.</li>
 * </ul>
 * Whatever else of a held tuple the program does not translate, it tags with the punt VLAN
 * ({@link org.tcpsplice.core.packet.PuntTag}) for the controller: older ranges, what a retired end
 * sends past its handoff, SYNs, FINs and RSTs, odd options or IP headers. Frames whose tuple it
 * cannot read, or does not hold, pass untouched.
 *
 * <p>One exception inside the newest range: the target's first payload-free packets acknowledging
 * exactly the handoff point are the acknowledgement of the request the handing-off node forwarded (docs/handoff-race.md). The controller must see them to copy that ACK to the forwarding node, so the fast
 * path leaves the first {@link Level2Entry#FORWARDER_ACKS} of them to it, counting down in the map's
 * own entry as the controller does in the level-2 entry.
 */
public final class FastPathEntries {
    /** What the program does with one frame. */
    public enum Action {
        /** Rewritten as splice-core's translator rewrites it, and passed on to the switch. */
        TRANSLATE,
        /** Passed on with the punt tag: the switch sends it to the controller, unchanged otherwise. */
        TAG,
        /**
         * Passed on untouched, for the switch's own rules: not a frame of a held tuple, or a retired
         * end's frame within what it may still send.
         */
        PASS,
        /** Dropped: it arrived already carrying the punt tag. */
        DROP
    }

    private static final int ETH = 14;

    /** What the map holds for one tuple of a splice. */
    public static final class Held {
        /** The newest entry the program translates by, or null. */
        public final Level2Entry translateBy;
        /** A retired end, which may still send up to {@link #lastSeq} and acknowledge up to {@link #lastAck}. */
        public final boolean retiredEnd;
        public final int lastSeq;
        public final int lastAck;

        private Held(Level2Entry translateBy, boolean retiredEnd, int lastSeq, int lastAck) {
            this.translateBy = translateBy;
            this.retiredEnd = retiredEnd;
            this.lastSeq = lastSeq;
            this.lastAck = lastAck;
        }

        public static Held translating(Level2Entry newest) {
            return new Held(newest, false, 0, 0);
        }

        public static Held retiredEnd(int lastSeq, int lastAck) {
            return new Held(null, true, lastSeq, lastAck);
        }

        public static final Held TAG_ONLY = new Held(null, false, 0, 0);

        /**
         * As the shared vector file's "map" lines write it: "translate" (by the key's newest entry,
         * written beside it), "retired last_seq=N last_ack=M" (unsigned decimal) or "tag".
         */
        public String text() {
            if (translateBy != null) {
                return "translate";
            }
            return retiredEnd ? "retired last_seq=" + Integer.toUnsignedLong(lastSeq)
                    + " last_ack=" + Integer.toUnsignedLong(lastAck) : "tag";
        }

        /** The inverse of {@link #text}; {@code newest}: the key's newest entry, for "translate". */
        public static Held parse(String text, Level2Entry newest) {
            String[] words = text.split(" ");
            switch (words[0]) {
                case "translate":
                    return translating(newest);
                case "retired":
                    return retiredEnd((int) Long.parseLong(field(words[1], "last_seq=")),
                            (int) Long.parseLong(field(words[2], "last_ack=")));
                case "tag":
                    return TAG_ONLY;
                default:
                    throw new IllegalArgumentException("not a map element: '" + text + "'");
            }
        }

        private static String field(String word, String name) {
            if (!word.startsWith(name)) {
                throw new IllegalArgumentException("expected " + name + " in '" + word + "'");
            }
            return word.substring(name.length());
        }
    }

    private FastPathEntries() {
    }

    /**
     * Whether the fast path, with freshly written entries, translates this frame ({@code frame}: as it
     * arrived) itself: it is mapped by its key's newest entry, that entry is not sealed, it is not one
     * of the target's acks of the forwarded bytes, and it carries no FIN or RST. Otherwise the frame
     * goes to the controller untouched. FINs and RSTs end splices (Fig. 3's cleanup, the teardown
     * tracker), so the controller must see each of them: translated here, a closed splice would live
     * on until its idle timeout, and with it the rule that drops a SYN on any of its tuples, so the
     * client could not reuse its port for minutes.
     */
    public static boolean translates(MappingDecision decision, TcpFrame frame) {
        return decision.kind() == MappingDecision.Kind.TRANSLATE && decision.newestRange && !decision.entry.sealed()
                && !acksForwardedBytes(decision.entry, frame)
                && (frame.flags() & (TcpFlags.FIN | TcpFlags.RST)) == 0;
    }

    /**
     * A target's payload-free packet that acknowledges exactly the handoff point: the forwarder's
     * request has arrived. The target's data segments carry the same ack but are translated on the
     * fast path: sent to the controller, the first ones were overtaken by the next, and the target
     * made a spurious fast retransmit on every handoff. The target acks a fresh connection's first data at once
     * (quick-ack mode), so the payload-free ack is there to copy.
     */
    public static boolean acksForwardedBytes(Level2Entry entry, TcpFrame frame) {
        return entry.towardClient && (frame.flags() & TcpFlags.ACK) != 0
                && frame.ack() == entry.handoffAck && frame.payloadLength() == 0;
    }

    /** Whether the fast path translates by a key's newest entry (false: it only tags the key's packets). */
    public static boolean translatesBy(Level2Entry newest) {
        return newest != null && !newest.sealed();
    }

    /**
     * Every tuple of the splice, client key first, to what the map holds for it: the newest entry it
     * translates by, a retired end's limits, or a tag only; empty if there is no such splice.
     */
    public static Map<FourTuple, Held> of(SpliceTables tables, FourTuple clientKey) {
        Map<FourTuple, Held> entries = new LinkedHashMap<>();
        for (FourTuple tuple : tables.tuplesOf(clientKey)) {
            Level2Entry newest = tables.level2Table(tuple);
            Level2Entry opposite = tables.level2Table(tuple.reversed());
            if (translatesBy(newest)) {
                entries.put(tuple, Held.translating(newest));
            } else if (newest == null && opposite != null) {
                // PayloadMapper's limits for an end that let go at the first handoff (the opposite key's
                // oldest entry): it sent up to that entry's handoff ack, and had received up to its handoff seq.
                Level2Entry first = opposite.oldest();
                entries.put(tuple, Held.retiredEnd(first.handoffAck, first.handoffSeq));
            } else {
                entries.put(tuple, Held.TAG_ONLY);
            }
        }
        return entries;
    }

    /**
     * Whether the fast path passes this frame of a retired end on untouched: splice-core forwards it
     * unchanged (Fig. 5: within what that end sent and received before it let go; a well-formed frame
     * with no SYN, FIN or RST).
     */
    public static boolean passesOn(MappingDecision decision) {
        return decision != null && decision.reason == MappingDecision.Reason.RETIRED_END_OLD_RANGE;
    }

    /**
     * What the program does with a frame as it arrived, over a map holding {@code held} (as {@link #of}
     * gives it). {@code translated}: whether splice-core's switch logic translates the frame within the
     * fast path's limits ({@link #translates}); {@code passedOn}: whether it forwards it unchanged as a
     * retired end's ({@link #passesOn}). The order of the checks is the program's, and the shared test
     * vectors hold the two together.
     */
    public static Action action(Map<FourTuple, Held> held, byte[] frame, boolean translated, boolean passedOn) {
        if (PuntTag.on(frame, frame.length)) {
            return Action.DROP;
        }
        if (frame.length < ETH + 20 || Bytes.u16(frame, 12) != 0x0800) {
            return Action.PASS;
        }
        int versionAndLength = frame[ETH] & 0xFF;
        int ipHeader = (versionAndLength & 0x0F) * 4;
        boolean laterFragment = (Bytes.u16(frame, ETH + 6) & 0x1FFF) != 0;
        if (versionAndLength >> 4 != 4 || ipHeader < 20 || frame[ETH + 9] != 6 || laterFragment
                || frame.length < ETH + ipHeader + 4) {
            return Action.PASS; // not TCP over IPv4, or no ports to look up
        }
        FourTuple tuple = new FourTuple(Bytes.u32(frame, ETH + 12), Bytes.u16(frame, ETH + ipHeader),
                Bytes.u32(frame, ETH + 16), Bytes.u16(frame, ETH + ipHeader + 2));
        Held h = held.get(tuple);
        if (h == null || h.retiredEnd && passedOn) {
            return Action.PASS;
        }
        return h.translateBy != null && translated ? Action.TRANSLATE : Action.TAG;
    }
}
