package org.tcpsplice.onos.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the splices live in an ONOS cluster: client key to the splice's state in
 * {@link org.tcpsplice.core.map.SpliceText} form, shared by every instance.
 */
public interface SpliceStore {
    /** Completes once the write is replicated (it is never waited for under the engine's lock). */
    CompletableFuture<Void> put(String clientKey, String splice);

    CompletableFuture<Void> remove(String clientKey);

    /** Every splice: client key to state. */
    Map<String, String> all();

    /** Told of every change by any instance: the splice's new state, or null when it was removed. */
    interface Listener {
        void changed(String clientKey, String spliceOrNull);
    }

    void addListener(Listener listener);

    void removeListener(Listener listener);
}
