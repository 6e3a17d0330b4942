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

    public void forget(FourTuple clientToService) {
        owners.remove(clientToService);
    }

    public int size() {
        return owners.size();
    }

    @Override
    public int ownerIpOf(FourTuple clientToService) {
        return owners.getOrDefault(clientToService, UNKNOWN);
    }
}
