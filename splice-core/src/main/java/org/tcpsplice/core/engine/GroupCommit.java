package org.tcpsplice.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit for handoffs: one journal fsync (and, with switch rules, one barrier) confirms every
 * handoff written before it. A handoff takes a ticket once its journal line and flow-mods are written
 * and gets a future; a commit covers everything ticketed before it started and completes the futures
 * it covered. Concurrent handoffs thus share the slow steps instead of queueing behind each other's.
 * <p>
 * Who commits: when no commit is running, the handoff's own thread, once it has left the controller's
 * lock ({@link #lead}); a thread switch costs more on these machines than a handoff's own work (perf,
 * 16 concurrent POSTs), and a lone handoff would otherwise wait for the committer thread to be
 * scheduled. Whatever is ticketed while a commit runs is the committer thread's, in one batch, so no
 * request thread waits for more than one fsync. Callers that must not block (a packet-in
 * thread) take a plain {@link #ticket}, which the committer thread serves.
 */
public final class GroupCommit implements AutoCloseable {
    /** The slow steps: make everything written so far durable and confirmed by the switch. */
    public interface Commit {
        void run() throws Exception;
    }

    private final Commit commit;
    private final Thread committer;
    private List<CompletableFuture<Void>> pending = new ArrayList<>();
    private boolean committing;
    private boolean closed;

    public GroupCommit(Commit commit) {
        this.commit = commit;
        this.committer = new Thread(this::commitLoop, "splice-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /**
     * Call after the writes were issued (under the controller's programming lock). Completes once a
     * commit covered them, on the thread that ran it (the committer, or a handoff that led), or
     * exceptionally with the failure of the commit that covered them. The committer is woken for it.
     */
    public synchronized CompletableFuture<Void> ticket() {
        return add(true);
    }

    /** As {@link #ticket}, for a caller that calls {@link #lead} once it has left its locks. */
    public synchronized CompletableFuture<Void> ticketToLead() {
        return add(false);
    }

    private CompletableFuture<Void> add(boolean wakeCommitter) {
        CompletableFuture<Void> covered = new CompletableFuture<>();
        if (closed) {
            covered.completeExceptionally(new IllegalStateException("the controller is stopping"));
            return covered;
        }
        pending.add(covered);
        if (wakeCommitter && !committing) {
            notifyAll();
        }
        return covered;
    }

    /**
     * Commits what is pending in the calling thread if no commit is running; otherwise returns at once,
     * and the committer thread commits it after the running one.
     */
    public void lead() {
        List<CompletableFuture<Void>> batch;
        synchronized (this) {
            if (committing || pending.isEmpty()) {
                return;
            }
            batch = take();
        }
        run(batch);
    }

    private void commitLoop() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            synchronized (this) {
                while (committing || pending.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                batch = take();
            }
            run(batch);
        }
    }

    /** Under this object's lock: the pending batch, now being committed. */
    private List<CompletableFuture<Void>> take() {
        committing = true;
        List<CompletableFuture<Void>> batch = pending;
        pending = new ArrayList<>();
        return batch;
    }

    private void run(List<CompletableFuture<Void>> batch) {
        Exception failed = null;
        try {
            commit.run();
        } catch (Exception e) {
            failed = e;
        }
        synchronized (this) {
            committing = false;
            if (!pending.isEmpty() || closed) {
                notifyAll(); // what was ticketed meanwhile is the committer's
            }
        }
        for (CompletableFuture<Void> covered : batch) {
            if (failed == null) {
                covered.complete(null);
            } else {
                covered.completeExceptionally(failed);
            }
        }
    }

    /** Commits what is pending, then stops the committer. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        committer.join(10_000);
    }
}
