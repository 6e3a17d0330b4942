package org.tcpsplice.api;

import java.util.concurrent.CompletableFuture;
import org.tcpsplice.core.handoff.ConnectionSnapshot;

/** A splice service whose handoffs can be answered later, when their commit is done, with no thread waiting for it. */
public interface AsyncSpliceService extends SpliceService {
    /**
     * {@link #handoff}, completing with its result once committed. A refusal may be thrown at once or
     * complete the future exceptionally, with an {@link org.tcpsplice.api.ApiException} either way.
     */
    CompletableFuture<HandoffResult> handoffAsync(String nodeId, ConnectionSnapshot clientSide,
                                                  ConnectionSnapshot newConnection);
}
