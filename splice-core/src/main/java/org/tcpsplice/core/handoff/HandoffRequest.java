package org.tcpsplice.core.handoff;

import org.tcpsplice.core.net.Ipv4;

/**
 * A node's handoff (patent Fig. 3, HAND packet 352): splice the connection it serves for a client
 * (c1, or for a node that received a handed-off connection, the c2 it was given) onto the new
 * connection it opened to the target node, at the exact numbers both sockets are at.
 */
public final class HandoffRequest {
    /** The authenticated requesting node's IP (the controller maps credentials to it). */
    public final int requesterIp;
    /** The node's client-facing socket: local end = the node (or VIP), remote = the client side. */
    public final ConnectionSnapshot clientSide;
    /** The node's socket to the target: local = the node, remote = the target node. */
    public final ConnectionSnapshot newConnection;
    public final DataPathAddresses path;

    public HandoffRequest(int requesterIp, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection,
                          DataPathAddresses path) {
        this.requesterIp = requesterIp;
        this.clientSide = clientSide;
        this.newConnection = newConnection;
        this.path = path;
    }

    /** Null when the request is well formed, else what is wrong (state is not consulted here). */
    public String problem() {
        if (clientSide == null || newConnection == null || path == null) {
            return "client-side connection, new connection and data-path addresses are all required";
        }
        String p = clientSide.problem("client-side connection", "clientSide");
        if (p == null) {
            p = newConnection.problem("new connection", "newConnection");
        }
        if (p != null) {
            return p;
        }
        if (clientSide.tuple.equals(newConnection.tuple) || clientSide.tuple.equals(newConnection.tuple.reversed())) {
            return "the new connection is the client-side connection";
        }
        if (newConnection.tuple.dstIp == newConnection.tuple.srcIp || newConnection.tuple.dstIp == requesterIp) {
            return "newConnection.remote " + Ipv4.format(newConnection.tuple.dstIp) + ":" + newConnection.tuple.dstPort
                    + " is the requesting node itself: a node cannot hand a connection to itself";
        }
        if (newConnection.tuple.srcIp != requesterIp) {
            return "the new connection must start at the requesting node " + Ipv4.format(requesterIp)
                    + ", not " + Ipv4.format(newConnection.tuple.srcIp);
        }
        return null;
    }
}
