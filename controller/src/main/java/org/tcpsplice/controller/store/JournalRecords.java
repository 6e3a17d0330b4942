package org.tcpsplice.controller.store;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.tcpsplice.core.engine.SpliceRecords;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;

/** The engine's records in the journal: appended under the engine's lock, made durable by its group commit. */
public final class JournalRecords implements SpliceRecords {
    private final SpliceJournal journal;

    public JournalRecords(SpliceJournal journal) {
        this.journal = journal;
    }

    private static final CompletableFuture<Void> APPENDED = CompletableFuture.completedFuture(null);

    @Override
    public CompletableFuture<Void> put(FourTuple clientKey, SpliceTables tables) throws IOException {
        journal.put(tables, clientKey);
        return APPENDED;
    }

    @Override
    public CompletableFuture<Void> remove(FourTuple clientKey) throws IOException {
        journal.remove(clientKey);
        return APPENDED;
    }

    @Override
    public void sync() throws IOException {
        journal.sync();
    }
}
