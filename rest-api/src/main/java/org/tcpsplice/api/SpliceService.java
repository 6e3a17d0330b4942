package org.tcpsplice.api;

import java.util.List;
import java.util.Map;
import org.tcpsplice.api.json.SpliceJson;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.net.FourTuple;

/**
 * What the REST API needs from a controller. The standalone controller and the ONOS app each
 * implement it around splice-core; the resources in {@code web} are the same for both.
 */
public interface SpliceService {
    /**
     * Applies a handoff from an authenticated node and returns once it is recorded and live in the
     * switch's data path (its rules confirmed, or the fast path's map written), so the node may let go
     * of its sockets. Throws {@link ApiException} when refused.
     */
    HandoffResult handoff(String nodeId, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection);

    List<SpliceJson> splices();

    /** The splice with this client key, or null. */
    SpliceJson splice(FourTuple clientKey);

    /** Whether a splice still maps this connection (either direction), see {@code SpliceTables.maps}. */
    boolean spliced(FourTuple connection);

    /** Removes a splice and its switch rules; false when there was none. */
    boolean removeSplice(FourTuple clientKey);

    /** Counters and gauges for {@code GET /metrics}. */
    Map<String, Object> metrics();

    /** The result of an accepted handoff. */
    final class HandoffResult {
        /** False when the same handoff had been applied already (idempotent repeat). */
        public final boolean created;
        public final SpliceJson splice;

        public HandoffResult(boolean created, SpliceJson splice) {
            this.created = created;
            this.splice = splice;
        }
    }
}
