package org.tcpsplice.api.json;

import java.util.ArrayList;
import java.util.List;
import org.tcpsplice.api.SpliceIds;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.teardown.CloseState;

/**
 * One splice as JSON: its level-1 keys with their level-2 tables. {@code handoffs} lists the client
 * key's entries oldest first (one per handoff); {@code replies} the reverse entries in the same order.
 */
public final class SpliceJson {
    public String id;
    /** The client's original connection (entry 212's key). */
    public String clientKey;
    /** The node now serving the client: the newest handoff's target. */
    public String servingNode;
    public String state;
    public List<EntryJson> handoffs = new ArrayList<>();
    public List<ReplyJson> replies = new ArrayList<>();

    /** A reverse level-1 key (214, 216 ...) and its one entry. */
    public static final class ReplyJson {
        public String key;
        public EntryJson entry;
    }

    /** Every live splice in the tables. */
    public static List<SpliceJson> all(SpliceTables tables) {
        List<SpliceJson> all = new ArrayList<>();
        for (FourTuple key : tables.clientKeys()) {
            SpliceJson j = of(tables, key);
            if (j != null) {
                all.add(j);
            }
        }
        return all;
    }

    /** The splice with this client key in the tables, or null. */
    public static SpliceJson of(SpliceTables tables, FourTuple clientKey) {
        Level2Entry head = tables.level2Table(clientKey);
        if (head == null || head.towardClient) {
            return null;
        }
        SpliceJson j = new SpliceJson();
        j.id = SpliceIds.of(clientKey);
        j.clientKey = clientKey.toString();
        FourTuple serving = head.rewrittenTuple();
        j.servingNode = Ipv4.format(serving.dstIp) + ":" + serving.dstPort;
        j.state = CloseState.describe(tables.closeState(clientKey));
        for (Level2Entry e = head; e != null; e = e.older) {
            j.handoffs.add(0, EntryJson.of(e));
            FourTuple reverseKey = e.rewrittenTuple().reversed();
            Level2Entry reverse = tables.level2Table(reverseKey);
            if (reverse != null) {
                ReplyJson r = new ReplyJson();
                r.key = reverseKey.toString();
                r.entry = EntryJson.of(reverse);
                j.replies.add(0, r);
            }
        }
        return j;
    }
}
