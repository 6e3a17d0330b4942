package org.tcpsplice.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.tcpsplice.api.json.SpliceJson;
import org.tcpsplice.core.engine.SpliceEngine;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.net.FourTuple;

/** The REST API's service over splice-core's engine: the same for the standalone controller and the ONOS app. */
public final class EngineSpliceService implements AsyncSpliceService {
    private final SpliceEngine engine;

    public EngineSpliceService(SpliceEngine engine) {
        this.engine = engine;
    }

    @Override
    public CompletableFuture<HandoffResult> handoffAsync(String nodeId, ConnectionSnapshot clientSide,
                                                         ConnectionSnapshot newConnection) {
        return engine.handoff(nodeId, clientSide, newConnection).thenApply(out -> {
            if (!out.accepted()) {
                throw ApiException.of(out.refusal, out.message);
            }
            return new HandoffResult(out.kind == HandoffOutcome.Kind.APPLIED, SpliceJson.of(engine.tables(), out.clientKey));
        });
    }

    @Override
    public HandoffResult handoff(String nodeId, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection) {
        try {
            return handoffAsync(nodeId, clientSide, newConnection).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof ApiException ? (ApiException) e.getCause() : e;
        }
    }

    @Override
    public List<SpliceJson> splices() {
        return SpliceJson.all(engine.tables());
    }

    @Override
    public SpliceJson splice(FourTuple clientKey) {
        return SpliceJson.of(engine.tables(), clientKey);
    }

    @Override
    public boolean spliced(FourTuple connection) {
        return engine.tables().maps(connection);
    }

    @Override
    public boolean removeSplice(FourTuple clientKey) {
        return engine.removeSplice(clientKey);
    }

    @Override
    public Map<String, Object> metrics() {
        return engine.metrics();
    }
}
