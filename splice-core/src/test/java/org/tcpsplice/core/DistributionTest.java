package org.tcpsplice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.distribution.LeastConnectionsDistribution;
import org.tcpsplice.core.distribution.NodeDistribution;
import org.tcpsplice.core.net.FourTuple;

class DistributionTest {
    private static FourTuple conn(int port) {
        return new FourTuple(0x0A000001, port, 0x0A000064, 80);
    }

    @Test
    void leastConnectionsFillsTheEmptiestNode() {
        LeastConnectionsDistribution d = new LeastConnectionsDistribution(0x0A000064, 80, List.of(11, 12, 13));
        assertEquals(11, d.choose(conn(1)));
        assertEquals(12, d.choose(conn(2)));
        assertEquals(13, d.choose(conn(3)));
        d.connectionEnded(12);
        assertEquals(12, d.choose(conn(4)), "node 12 has the fewest open connections now");
        assertEquals(11, d.choose(conn(5)), "a tie goes to the first node");
        assertEquals(2, d.openConnections(11));
        d.connectionEnded(99);
        assertEquals(NodeDistribution.NOT_DISTRIBUTED, d.choose(new FourTuple(1, 2, 3, 4)), "not the service");
    }
}
