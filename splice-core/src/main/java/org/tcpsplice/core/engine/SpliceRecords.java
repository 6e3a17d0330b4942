package org.tcpsplice.core.engine;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;

/**
 * Where splices outlive the controller: the standalone controller's journal, ONOS's distributed store.
 * A write is issued under the engine's lock and must not wait there: it returns a future that
 * completes once the record is accepted (the journal: appended; the store: replicated), and
 * {@link #sync} makes what was accepted durable.
 */
public interface SpliceRecords {
    /** Records the splice as the tables hold it now; IOException if it cannot even be issued. */
    CompletableFuture<Void> put(FourTuple clientKey, SpliceTables tables) throws IOException;

    CompletableFuture<Void> remove(FourTuple clientKey) throws IOException;

    /** Makes everything accepted so far durable (the journal's fsync; ONOS's store already is). */
    void sync() throws IOException;
}
