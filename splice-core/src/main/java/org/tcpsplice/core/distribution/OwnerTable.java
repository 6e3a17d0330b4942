package org.tcpsplice.core.distribution;

import java.util.concurrent.ConcurrentHashMap;
import org.tcpsplice.core.handoff.ConnectionOwners;
import org.tcpsplice.core.net.FourTuple;

/**
 * Which node each distributed, not yet spliced connection was given to; the in-memory
 * {@link ConnectionOwners} for a single controller (ONOS keeps the same in its distributed store).
 */
public final class OwnerTable implements ConnectionOwners {
    private final ConcurrentHashMap<FourTuple, Integer> owners = new ConcurrentHashMap<>();

    public void record(FourTuple clientToService, int nodeIp) {
        owners.put(clientToService, nodeIp);
    }

    /** Forgets the connection; returns the node that served it, or {@link #UNKNOWN}. */
    public int forget(FourTuple clientToService) {
        Integer owner = owners.remove(clientToService);
        return owner == null ? UNKNOWN : owner;
    }

    public int size() {
        return owners.size();
    }

    @Override
    public int ownerIpOf(FourTuple clientToService) {
        return owners.getOrDefault(clientToService, UNKNOWN);
    }
}
