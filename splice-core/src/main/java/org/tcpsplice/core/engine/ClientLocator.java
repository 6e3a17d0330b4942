package org.tcpsplice.core.engine;

/**
 * Where a client is attached when the engine did not see its connection's SYN (ONOS's host service);
 * the standalone controller knows none.
 */
public interface ClientLocator {
    ClientLocator NONE = clientIp -> null;

    /** {MAC, switch port} of the client with this address, or null. */
    long[] locate(int clientIp);
}
