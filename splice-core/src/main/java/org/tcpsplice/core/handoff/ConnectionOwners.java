package org.tcpsplice.core.handoff;

import org.tcpsplice.core.net.FourTuple;

/**
 * Who serves an unspliced client connection: the controller records which node it gave each
 * new connection to (patent Fig. 4, step 433). Once spliced, the tables themselves say who owns it.
 */
@FunctionalInterface
public interface ConnectionOwners {
    /** Returned when the controller gave this connection to no node. */
    int UNKNOWN = 0;

    /** The IP of the node serving the connection whose client-to-server direction is given. */
    int ownerIpOf(FourTuple clientToServer);
}
