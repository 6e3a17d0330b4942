package org.tcpsplice.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpsplice.api.json.SpliceJson;
import org.tcpsplice.core.distribution.OwnerTable;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.DataPathAddresses;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.HandoffProcessor;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.testing.Figure2;

/**
 * Test double of a controller (no switch, no rules): the real handoff processor over real tables,
 * with the Figure 2 hosts as its host table. Enough to exercise every HTTP path of the API.
 */
final class TablesBackedService implements SpliceService {
    final SpliceTables tables = new SpliceTables();
    final OwnerTable owners = new OwnerTable();
    private final HandoffProcessor processor = new HandoffProcessor(tables, owners);
    private final Map<String, Integer> nodeIps = Map.of("node-a", Figure2.NODE_A, "node-b", Figure2.NODE_B,
            "node-c", Figure2.NODE_C);

    TablesBackedService() {
        owners.record(Figure2.CLIENT_KEY, Figure2.NODE_A);
    }

    @Override
    public HandoffResult handoff(String nodeId, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection) {
        Integer ip = nodeIps.get(nodeId);
        if (ip == null) {
            throw new ApiException(403, "UNKNOWN_NODE", nodeId + " is not a configured node");
        }
        HandoffRequest template = ip == Figure2.NODE_A ? Figure2.aToB() : Figure2.bToC();
        DataPathAddresses path = template.path;
        HandoffOutcome out = processor.process(new HandoffRequest(ip, clientSide, newConnection, path));
        if (!out.accepted()) {
            throw ApiException.of(out.refusal, out.message);
        }
        return new HandoffResult(out.kind == HandoffOutcome.Kind.APPLIED, SpliceJson.of(tables, out.clientKey));
    }

    @Override
    public List<SpliceJson> splices() {
        return SpliceJson.all(tables);
    }

    @Override
    public SpliceJson splice(FourTuple clientKey) {
        return SpliceJson.of(tables, clientKey);
    }

    @Override
    public boolean spliced(FourTuple connection) {
        return tables.maps(connection);
    }

    @Override
    public boolean removeSplice(FourTuple clientKey) {
        return tables.removeSplice(clientKey);
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("splices", tables.spliceCount());
        return m;
    }
}
