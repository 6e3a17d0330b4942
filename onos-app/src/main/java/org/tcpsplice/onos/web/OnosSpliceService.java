package org.tcpsplice.onos.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpsplice.api.ApiException;
import org.tcpsplice.api.SpliceService;
import org.tcpsplice.api.json.SpliceJson;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.onos.impl.SpliceManager;

/**
 * The REST API's service over the ONOS manager: the same resources, JSON and status codes as the
 * standalone controller, including 503 when the switch does not confirm a handoff's rules.
 */
final class OnosSpliceService implements SpliceService {
    private final SpliceManager manager;

    OnosSpliceService(SpliceManager manager) {
        this.manager = manager;
    }

    @Override
    public HandoffResult handoff(String nodeId, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection) {
        if (!manager.isNode(nodeId)) {
            throw new ApiException(403, "UNKNOWN_NODE", nodeId + " is not a configured node");
        }
        HandoffOutcome out;
        try {
            out = manager.handoff(nodeId, clientSide, newConnection);
        } catch (SpliceManager.SwitchNotConfirmed e) {
            throw ApiException.switchDidNotConfirm(e.getMessage());
        } catch (SpliceManager.ClientNotLocated e) {
            throw new ApiException(503, "CLIENT_NOT_LOCATED", e.getMessage());
        }
        if (!out.accepted()) {
            throw ApiException.of(out.refusal, out.message);
        }
        return new HandoffResult(out.kind == HandoffOutcome.Kind.APPLIED, SpliceJson.of(manager.tables(), out.clientKey));
    }

    @Override
    public List<SpliceJson> splices() {
        return SpliceJson.all(manager.tables());
    }

    @Override
    public SpliceJson splice(FourTuple clientKey) {
        return SpliceJson.of(manager.tables(), clientKey);
    }

    @Override
    public boolean removeSplice(FourTuple clientKey) {
        return manager.removeSplice(clientKey);
    }

    @Override
    public Map<String, Object> metrics() {
        return manager.metrics();
    }
}
