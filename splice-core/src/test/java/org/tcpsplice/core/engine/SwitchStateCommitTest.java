package org.tcpsplice.core.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.SpliceCounters;
import org.tcpsplice.core.fastpath.FastPath;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.SwitchRule;

/**
 * When a handoff may be answered: with the fast path before the records' sync (it follows in the
 * committer thread), with switch rules only after the commit (barrier and sync). Fakes: the records
 * (a sync that blocks until released), the switch and the fast path; the group commit is the real one.
 */
class SwitchStateCommitTest {
    /** Records whose sync blocks until {@link #release}, and says when it began. */
    private static final class BlockingRecords implements SpliceRecords {
        final CountDownLatch syncing = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);

        @Override
        public CompletableFuture<Void> put(FourTuple clientKey, SpliceTables tables) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> remove(FourTuple clientKey) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void sync() throws java.io.IOException {
            syncing.countDown();
            try {
                released.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void release() {
            released.countDown();
        }
    }

    private static final SwitchProgram SWITCH = new SwitchProgram() {
        @Override
        public boolean available() {
            return true;
        }

        @Override
        public CompletionStage<Void> steer(FourTuple connection, Node node, int clientPort, int idleSeconds) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void steerBack(FourTuple towardClient, int clientPort, int idleSeconds) {
        }

        @Override
        public void endSteering(FourTuple connection) {
        }

        @Override
        public void nodeConnectionFlow(FourTuple direction, int idleSeconds) {
        }

        @Override
        public CompletionStage<Void> changeRules(List<SwitchRule> remove, List<SwitchRule> add) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void confirm(long timeoutMillis) {
        }
    };

    /** A fast path whose map writes take effect when they return. */
    private static final FastPath MAP = new FastPath() {
        @Override
        public boolean replacesSpliceRules() {
            return true;
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> sync(SpliceTables tables, FourTuple clientKey) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public void resync(SpliceTables tables) {
        }

        @Override
        public boolean translatedWithin(FourTuple clientKey, int seconds) {
            return false;
        }

        @Override
        public int entries() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    private static SwitchState state(BlockingRecords records, FastPath fastPath) {
        return new SwitchState(new SpliceTables(), SWITCH, records, fastPath, new SpliceCounters(),
                (level, message) -> { }, 1000);
    }

    @Test
    void withTheFastPathAHandoffIsAnsweredBeforeTheSyncWhichStillFollows() throws Exception {
        BlockingRecords records = new BlockingRecords();
        try (SwitchState state = state(records, MAP)) {
            CompletableFuture<Void> answer;
            synchronized (state.lock()) {
                answer = state.ticketToLead();
            }
            Thread leader = new Thread(state::lead);
            leader.start();
            assertTrue(records.syncing.await(5, TimeUnit.SECONDS), "the record is synced");
            assertTrue(answer.isDone(), "and answered while its sync is still running");
            records.release();
            leader.join(5000);
        }
    }

    @Test
    void withSwitchRulesAHandoffWaitsForTheCommit() throws Exception {
        BlockingRecords records = new BlockingRecords();
        try (SwitchState state = state(records, FastPath.OFF)) {
            CompletableFuture<Void> answer;
            synchronized (state.lock()) {
                answer = state.ticketToLead();
            }
            Thread leader = new Thread(state::lead);
            leader.start();
            assertTrue(records.syncing.await(5, TimeUnit.SECONDS));
            assertFalse(answer.isDone(), "not before the barrier and the sync");
            records.release();
            answer.get(5, TimeUnit.SECONDS);
            leader.join(5000);
        }
    }
}
