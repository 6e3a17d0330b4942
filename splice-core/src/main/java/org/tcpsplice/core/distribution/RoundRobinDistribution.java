package org.tcpsplice.core.distribution;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.tcpsplice.core.net.FourTuple;

/** The patent's default distribution: new connections to the service go to the nodes in turn. */
public final class RoundRobinDistribution implements NodeDistribution {
    private final int serviceIp;
    private final int servicePort;
    private final int[] nodeIps;
    private final AtomicLong next = new AtomicLong();

    public RoundRobinDistribution(int serviceIp, int servicePort, List<Integer> nodeIps) {
        if (nodeIps.isEmpty()) {
            throw new IllegalArgumentException("round-robin needs at least one node");
        }
        this.serviceIp = serviceIp;
        this.servicePort = servicePort;
        this.nodeIps = nodeIps.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int choose(FourTuple clientToService) {
        if (clientToService.dstIp != serviceIp || clientToService.dstPort != servicePort) {
            return NOT_DISTRIBUTED;
        }
        return nodeIps[(int) Math.floorMod(next.getAndIncrement(), (long) nodeIps.length)];
    }
}
