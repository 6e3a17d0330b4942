package org.tcpsplice.core.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.packet.TcpFrame;

/**
 * What the fast path (the XDP translator in front of the switch ports) holds for one splice: each
 * level-1 key with the newest entry of its level-2 table. It translates only that newest range and
 * leaves older ranges to the controller (Fig. 5 picks among all entries). A key whose newest entry is
 * sealed is left out: its sender has handed the connection on, and its packets are the controller's
 * to judge (late data, pure ACKs to drop). Any other key of the splice must be absent from the map.
 *
 * <p>One exception inside the newest range: the target's first packets acknowledging exactly the
 * handoff point are the acknowledgement of the request the handing-off node forwarded (README, "The
 * handoff race"). The controller must see them to copy that ACK to the forwarding node, so the fast
 * path leaves the first {@link Level2Entry#FORWARDER_ACKS} of them to it, counting down in the map's
 * own entry as the controller does in the level-2 entry.
 */
public final class FastPathEntries {
    private FastPathEntries() {
    }

    /**
     * Whether the fast path, with freshly written entries, translates this frame ({@code frame}: as it
     * arrived) itself: it is mapped by its key's newest entry, that entry is not sealed, and it is not one
     * of the target's acks of the forwarded bytes. Otherwise the frame goes to the controller untouched.
     */
    public static boolean translates(MappingDecision decision, TcpFrame frame) {
        return decision.kind() == MappingDecision.Kind.TRANSLATE && decision.newestRange && !decision.entry.sealed()
                && !acksForwardedBytes(decision.entry, frame);
    }

    /** A target's packet that acknowledges exactly the handoff point: the forwarder's request has arrived. */
    public static boolean acksForwardedBytes(Level2Entry entry, TcpFrame frame) {
        return entry.towardClient && (frame.flags() & TcpFlags.ACK) != 0
                && frame.ack() == entry.handoffAck;
    }

    /** Whether the fast path holds a key whose level-2 table's newest entry is this one. */
    public static boolean holds(Level2Entry newest) {
        return newest != null && !newest.sealed();
    }

    /** Key to newest unsealed entry, client key first; empty if there is no such splice. */
    public static Map<FourTuple, Level2Entry> of(SpliceTables tables, FourTuple clientKey) {
        Map<FourTuple, Level2Entry> entries = new LinkedHashMap<>();
        for (FourTuple key : tables.level1Keys(clientKey)) {
            Level2Entry newest = tables.level2Table(key);
            if (holds(newest)) {
                entries.put(key, newest);
            }
        }
        return entries;
    }
}
