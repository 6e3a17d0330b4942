package org.tcpsplice.core.distribution;

import java.util.List;
import org.tcpsplice.core.net.FourTuple;

/**
 * New connections go to the node with the fewest open ones (ties: the first in the list). The
 * controller reports ends ({@link #connectionEnded}) when a connection's steering rule expires.
 */
public final class LeastConnectionsDistribution implements NodeDistribution {
    private final int serviceIp;
    private final int servicePort;
    private final int[] nodeIps;
    private final int[] open;

    public LeastConnectionsDistribution(int serviceIp, int servicePort, List<Integer> nodeIps) {
        if (nodeIps.isEmpty()) {
            throw new IllegalArgumentException("least-connections needs at least one node");
        }
        this.serviceIp = serviceIp;
        this.servicePort = servicePort;
        this.nodeIps = nodeIps.stream().mapToInt(Integer::intValue).toArray();
        this.open = new int[this.nodeIps.length];
    }

    @Override
    public synchronized int choose(FourTuple clientToService) {
        if (clientToService.dstIp != serviceIp || clientToService.dstPort != servicePort) {
            return NOT_DISTRIBUTED;
        }
        int best = 0;
        for (int i = 1; i < nodeIps.length; i++) {
            if (open[i] < open[best]) {
                best = i;
            }
        }
        open[best]++;
        return nodeIps[best];
    }

    @Override
    public synchronized void connectionEnded(int nodeIp) {
        for (int i = 0; i < nodeIps.length; i++) {
            if (nodeIps[i] == nodeIp && open[i] > 0) {
                open[i]--;
            }
        }
    }

    /** Open connections of a node, as counted. */
    public synchronized int openConnections(int nodeIp) {
        for (int i = 0; i < nodeIps.length; i++) {
            if (nodeIps[i] == nodeIp) {
                return open[i];
            }
        }
        return 0;
    }
}
