package org.tcpsplice.api.json;

import org.tcpsplice.core.handoff.ConnectionSnapshot;

/**
 * The body of {@code POST /handoffs}: the connection the node serves for a client, and the new
 * connection it opened to the target node (patent Fig. 3, HAND packet 352).
 */
public final class HandoffJson {
    public ConnectionJson clientSide;
    public ConnectionJson newConnection;

    /** The two snapshots; throws {@link BadRequestField} naming the first missing or bad field. */
    public ConnectionSnapshot[] toCore() {
        if (clientSide == null || newConnection == null) {
            throw new BadRequestField("clientSide and newConnection are required");
        }
        return new ConnectionSnapshot[] {clientSide.toCore("clientSide"), newConnection.toCore("newConnection")};
    }
}
