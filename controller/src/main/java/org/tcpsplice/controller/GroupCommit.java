package org.tcpsplice.controller;

/**
 * Group commit for handoffs: one journal fsync and one switch barrier confirm every handoff written
 * before them. A handoff takes a ticket once its journal line and flow-mods are written; the first
 * caller to wait becomes the leader and commits everything ticketed so far, the others wait for a
 * commit that covers their ticket. Concurrent handoffs then share the two slow steps instead of
 * queueing behind each other's (measured before: ~31 ms each, serialized, 32 handoffs/s).
 */
final class GroupCommit {
    /** The slow steps: make everything written so far durable and confirmed by the switch. */
    interface Commit {
        void run() throws Exception;
    }

    private long ticketed;
    private long committed;
    private long failedThrough;
    private Exception failure;
    private boolean leading;

    /** Call after the handoff's writes were issued (under the controller's programming lock). */
    synchronized long ticket() {
        return ++ticketed;
    }

    /** Returns once a commit covered the ticket; throws the commit's failure if the one covering it failed. */
    void await(long ticket, Commit commit) throws Exception {
        long through;
        synchronized (this) {
            while (true) {
                if (committed >= ticket) {
                    return;
                }
                if (failedThrough >= ticket && failure != null) {
                    throw failure;
                }
                if (!leading) {
                    break;
                }
                wait();
            }
            leading = true;
            through = ticketed;
        }
        Exception failed = null;
        try {
            commit.run();
        } catch (Exception e) {
            failed = e;
        }
        synchronized (this) {
            leading = false;
            if (failed == null) {
                committed = Math.max(committed, through);
            } else {
                failedThrough = Math.max(failedThrough, through);
                failure = failed;
            }
            notifyAll();
        }
        if (failed != null) {
            throw failed;
        }
    }
}
