package org.tcpsplice.core.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.tcpsplice.core.SpliceCounters;
import org.tcpsplice.core.fastpath.FastPath;
import org.tcpsplice.core.fastpath.RemoteFastPath;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.RuleCompiler;
import org.tcpsplice.core.rules.SwitchRule;
import org.tcpsplice.core.teardown.ExpiredSplice;

/**
 * What must change together when a splice changes: the tables, its record, and its data path (the
 * switch's rules on the slow path, the fast path's map entries otherwise). One lock serializes those
 * changes; the slow steps (the store's fsync, the switch's barrier) run outside it, once for every
 * change written before them ({@link GroupCommit}).
 */
final class SwitchState implements AutoCloseable {
    private final SpliceTables tables;
    private final SwitchProgram program;
    private final SpliceRecords records;
    private final SpliceCounters counters;
    private final EngineLog log;
    private final Object lock = new Object();
    /** Each splice's rules as the switch holds them (slow path only). */
    private final Map<FourTuple, List<SwitchRule>> installed = new ConcurrentHashMap<>();
    private final GroupCommit commits;
    /** Off (per-splice rules), or the fast path's map; replaced only under the lock. */
    private volatile FastPath fastPath;
    private volatile long confirmTimeoutMillis;

    SwitchState(SpliceTables tables, SwitchProgram program, SpliceRecords records, FastPath fastPath,
                SpliceCounters counters, EngineLog log, long confirmTimeoutMillis) {
        this.tables = tables;
        this.program = program;
        this.records = records;
        this.fastPath = fastPath;
        this.counters = counters;
        this.log = log;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        this.commits = new GroupCommit(this::commit);
    }

    Object lock() {
        return lock;
    }

    FastPath fastPath() {
        return fastPath;
    }

    boolean fastPathReplacesRules() {
        return fastPath.replacesSpliceRules();
    }

    void setConfirmTimeout(long millis) {
        confirmTimeoutMillis = millis;
    }

    /**
     * The group commit's slow steps, once for every change written since the last: the records made
     * durable and, with switch rules, the switch's barrier. With the fast path there were no rules to
     * confirm: its map writes took effect when they returned.
     */
    private void commit() throws Exception {
        records.sync();
        if (!fastPath.replacesSpliceRules()) {
            if (!program.available()) {
                throw new IOException("the switch disconnected");
            }
            program.confirm(confirmTimeoutMillis);
        }
    }

    /**
     * Under the lock, after the writes: completes once the handoff may be answered; the caller then
     * calls {@link #lead}. With switch rules, once a commit covered them: the barrier confirms the rules
     * (the records' sync rides along). With the fast path, at once: its map writes took effect when they
     * returned, and the records were written (the journal's line is in the page cache, where a
     * controller killed now still finds it when it starts again). Their sync follows in the committer,
     * so only a crash of the controller's host before that sync can lose the newest handoffs; the
     * journal's fsync took about 1 ms of every handoff's answer.
     */
    CompletableFuture<Void> ticketToLead() {
        if (fastPath.replacesSpliceRules()) {
            commitInBackground("a handoff");
            return CompletableFuture.completedFuture(null);
        }
        return commits.ticketToLead();
    }

    /**
     * Outside every lock: runs the commit in the caller's thread if none is running; with the fast path
     * the committer's, as nobody waits for it (see {@link #ticketToLead}).
     */
    void lead() {
        if (!fastPath.replacesSpliceRules()) {
            commits.lead();
        }
    }

    /** Has the committer make the last changes durable; nobody waits for it. */
    void commitInBackground(String what) {
        commits.ticket().whenComplete((ok, failure) -> {
            if (failure != null) {
                log.error("store: " + what + " may not be durable: " + failure.getMessage());
            }
        });
    }

    // ---------------------------------------------------------------- one splice

    /**
     * After a handoff changed the tables (under the lock): its record, then its data path. Returns what
     * confirms all of them (the record accepted, the fast path's map written, the switch's rules
     * confirmed on the slow path), or throws if the record could not be written.
     */
    CompletableFuture<Void> write(FourTuple clientKey) throws IOException {
        CompletableFuture<Void> recorded = records.put(clientKey, tables);
        // The translator first: with it updated, the client's new range already goes to the target
        // (by MAC, through its node rule).
        CompletableFuture<Void> mapped = fastPath.sync(tables, clientKey);
        return CompletableFuture.allOf(recorded, mapped, changeRules(clientKey));
    }

    /** Under the lock: the splice back to the entries it had ({@code before}; none: gone), everywhere. */
    void putBack(FourTuple clientKey, Map<FourTuple, Level2Entry> before) {
        tables.putBack(clientKey, before);
        try {
            logFailure(before.isEmpty() ? records.remove(clientKey) : records.put(clientKey, tables),
                    "the undoing of " + clientKey);
        } catch (IOException e) {
            log.error("store: the undoing of " + clientKey + " was not recorded: " + e.getMessage());
        }
        syncFastPath(clientKey);
        followOnSwitch(clientKey);
    }

    private void logFailure(CompletableFuture<Void> recorded, String what) {
        recorded.whenComplete((ok, failure) -> {
            if (failure != null) {
                log.error("store: " + what + " was not recorded: " + failure.getMessage());
            }
        });
    }

    /** A splice that left the tables (expired, or ended by a new SYN): record, fast path, rules, counters. */
    void ended(ExpiredSplice e) {
        synchronized (lock) {
            forget(e.clientKey);
        }
        counters.count("splices_ended_" + e.cause);
        log.debug(() -> "splice " + e.clientKey + " ended (" + e.cause + ")");
    }

    /** Removes a splice from the tables and everywhere else; false if there was none. */
    boolean remove(FourTuple clientKey) {
        synchronized (lock) {
            if (!tables.removeSplice(clientKey)) {
                return false;
            }
            forget(clientKey);
        }
        commitInBackground("the removal of " + clientKey);
        return true;
    }

    /** After a splice left the tables, under the lock: its record, its map entries, its rules. */
    private void forget(FourTuple clientKey) {
        try {
            logFailure(records.remove(clientKey), "the end of " + clientKey);
        } catch (IOException e) {
            log.error("store: could not record the end of " + clientKey + ": " + e.getMessage());
        }
        syncFastPath(clientKey);
        followOnSwitch(clientKey);
    }

    /** The switch's rules for this splice follow the tables; without a switch, they are sent again when it is back. */
    private void followOnSwitch(FourTuple clientKey) {
        if (program.available()) {
            changeRules(clientKey);
        } else {
            installed.remove(clientKey);
        }
    }

    /**
     * Changes that take the switch from the splice's installed rules to its current ones (none with the
     * fast path, which holds the splice's tuples instead). Under the lock.
     */
    private CompletableFuture<Void> changeRules(FourTuple clientKey) {
        List<SwitchRule> now = fastPath.replacesSpliceRules() ? List.of() : RuleCompiler.compile(tables, clientKey);
        List<SwitchRule> old = installed.getOrDefault(clientKey, List.of());
        if (now.equals(old)) {
            return CompletableFuture.completedFuture(null);
        }
        Set<SwitchRule> keep = new HashSet<>(old);
        List<SwitchRule> add = new ArrayList<>();
        for (SwitchRule r : now) {
            if (!keep.remove(r)) {
                add.add(r);
            }
        }
        if (now.isEmpty()) {
            installed.remove(clientKey);
        } else {
            installed.put(clientKey, now);
        }
        return program.changeRules(new ArrayList<>(keep), add).toCompletableFuture();
    }

    /** The map follows the tables for this splice; if it cannot be written, the slow path still maps correctly. */
    private void syncFastPath(FourTuple clientKey) {
        fastPath.sync(tables, clientKey).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("fast path: missed a change of " + clientKey + " (" + failure.getMessage()
                        + "); resynced when it answers");
            }
        });
    }

    // ---------------------------------------------------------------- every splice

    /** The switch may have lost every flow: every splice's rules again (slow path). */
    void reprogramAll() {
        synchronized (lock) {
            installed.clear();
            for (FourTuple clientKey : tables.clientKeys()) {
                changeRules(clientKey);
            }
        }
    }

    /** A restored splice's rules, if the switch has none from here yet (slow path); true if sent. */
    boolean programIfMissing(FourTuple clientKey) {
        synchronized (lock) {
            if (fastPath.replacesSpliceRules() || installed.containsKey(clientKey) || !program.available()) {
                return false;
            }
            changeRules(clientKey);
            return true;
        }
    }

    /**
     * Switches between per-splice rules and a fast path. Every splice's rules come off when a fast path
     * takes over (the map gets every splice at once, or from the sweep once its agent answers), and go
     * on again when it is given up.
     */
    void useFastPath(FastPath next) throws IOException {
        synchronized (lock) {
            FastPath previous = fastPath;
            fastPath = next;
            if (previous != next) {
                previous.close();
            }
            if (program.available()) {
                for (FourTuple clientKey : new ArrayList<>(tables.clientKeys())) {
                    changeRules(clientKey);
                }
            } else {
                installed.clear(); // the switch gets them from the tables when it connects
            }
            if (!(next instanceof RemoteFastPath)) {
                next.resync(tables); // a remote one is resynced by the sweep (keepInStep), once it answers
            }
        }
    }

    /** A remote fast path (the switch-host agent) resynced if it restarted or missed a change; true if it was. */
    boolean keepFastPathInStep() {
        synchronized (lock) {
            if (!(fastPath instanceof RemoteFastPath)) {
                return false;
            }
            try {
                return ((RemoteFastPath) fastPath).keepInStep(tables);
            } catch (IOException e) {
                log.warn("the fast path is not in step (" + e.getMessage() + "); tried again in a second");
                return false;
            }
        }
    }

    /**
     * Whether the fast path translated a packet of this splice within the idle timeout: those packets
     * never reach the controller, so a splice that looks idle here may not be. Unknown counts as active:
     * a fast path that cannot be asked for a while must not end live connections.
     */
    boolean activeOnFastPath(FourTuple clientKey, int idleTimeoutSeconds) {
        synchronized (lock) {
            try {
                return fastPath.translatedWithin(clientKey, idleTimeoutSeconds);
            } catch (IOException e) {
                log.warn("cannot ask the fast path whether " + clientKey + " is idle (" + e.getMessage() + "); kept");
                return true;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        commits.close();
        fastPath.close();
    }
}
