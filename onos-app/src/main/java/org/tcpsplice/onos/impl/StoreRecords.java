package org.tcpsplice.onos.impl;

import java.util.concurrent.CompletableFuture;
import org.tcpsplice.core.engine.SpliceRecords;
import org.tcpsplice.core.map.SpliceText;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.onos.api.SpliceStore;

/** The engine's records in ONOS's distributed store, in SpliceText form; a write completes once it is replicated. */
final class StoreRecords implements SpliceRecords {
    private final SpliceStore store;

    StoreRecords(SpliceStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<Void> put(FourTuple clientKey, SpliceTables tables) {
        return store.put(clientKey.toString(), SpliceText.format(tables, clientKey));
    }

    @Override
    public CompletableFuture<Void> remove(FourTuple clientKey) {
        return store.remove(clientKey.toString());
    }

    @Override
    public void sync() {
    }
}
