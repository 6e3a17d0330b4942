package org.tcpsplice.core.distribution;

import org.tcpsplice.core.net.FourTuple;

/** Patent Fig. 4 step 433: which node gets a new client connection. */
public interface NodeDistribution {
    /** Returned for connections that are not to a distributed service (forward them normally). */
    int NOT_DISTRIBUTED = 0;

    /** The chosen node's IP for a new connection (client to service), or {@link #NOT_DISTRIBUTED}. */
    int choose(FourTuple clientToService);

    /** A connection given to this node has ended (policies that count connections use it). */
    default void connectionEnded(int nodeIp) {
    }
}
