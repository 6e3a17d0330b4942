package org.tcpsplice.bench;

import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.DataPathAddresses;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.handoff.TcpOptions;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.HandoffProcessor;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;

/** Fills tables with N splices of one handoff each, through the real handoff processor. */
final class Splices {
    static final int SERVICE = 0x0A000064;
    static final int NODE_A = 0x0A000101;
    static final int NODE_B = 0x0A000102;

    private Splices() {
    }

    /** Client i: 10.1.x.y port 1024 + i % 60000, so keys spread over addresses and ports. */
    static FourTuple client(int i) {
        return new FourTuple(0x0A01_0000 + i / 60000, 1024 + i % 60000, SERVICE, 80);
    }

    static SpliceTables fill(int n) {
        SpliceTables tables = new SpliceTables(2 * n);
        HandoffProcessor processor = new HandoffProcessor(tables, clientKey -> NODE_A);
        TcpOptions options = TcpOptions.linuxDefaults();
        DataPathAddresses path = new DataPathAddresses(0x0201, 0x0202, 3, 0x0203, 1, 0x0204);
        for (int i = 0; i < n; i++) {
            FourTuple c1 = client(i);
            FourTuple c2 = new FourTuple(NODE_A, 1024 + i % 60000, NODE_B + i / 60000, 80);
            HandoffOutcome out = processor.process(new HandoffRequest(NODE_A,
                    new ConnectionSnapshot(c1.reversed(), 5000 + i, 4000 + i, options, i, 7 * i),
                    new ConnectionSnapshot(c2, 2000 + i, 7000 + i, options, 3 * i, 5 * i), path));
            if (!out.accepted()) {
                throw new IllegalStateException("handoff " + i + " refused: " + out);
            }
        }
        return tables;
    }
}
