package org.tcpsplice.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Group commit with its real committer thread; the commit step is a counter and a latch (a fake of fsync + barrier). */
class GroupCommitTest {
    @Test
    void handoffsTicketedDuringOneCommitShareTheNext() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit commits = new GroupCommit(() -> {
            if (runs.incrementAndGet() == 1) {
                firstInside.countDown();
                release.await();
            }
        })) {
            CompletableFuture<Void> first = commits.ticket();
            firstInside.await();
            // Eight handoffs ticketed while the first commit runs: one more commit covers them all.
            List<CompletableFuture<Void>> next = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                next.add(commits.ticket());
            }
            Thread.sleep(50);
            assertEquals(false, first.isDone(), "not answered before its commit is done");
            release.countDown();
            first.get(5, TimeUnit.SECONDS);
            for (CompletableFuture<Void> f : next) {
                f.get(5, TimeUnit.SECONDS);
            }
            assertEquals(2, runs.get(), "two commits for nine handoffs");
        }
    }

    @Test
    void aFailedCommitFailsEveryHandoffItCoveredAndALaterOneCommitsAfresh() throws Exception {
        IOException disk = new IOException("disk gone");
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit commits = new GroupCommit(() -> {
            int run = runs.incrementAndGet();
            if (run == 1) {
                firstInside.countDown();
                release.await();
            } else if (run == 2) {
                throw disk;
            }
        })) {
            CompletableFuture<Void> first = commits.ticket();
            firstInside.await();
            CompletableFuture<Void> a = commits.ticket();
            CompletableFuture<Void> b = commits.ticket();
            release.countDown();
            first.get(5, TimeUnit.SECONDS);
            for (CompletableFuture<Void> f : List.of(a, b)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                assertSame(disk, e.getCause(), "both failed with the one commit that covered them");
            }
            commits.ticket().get(5, TimeUnit.SECONDS);
            assertEquals(3, runs.get());
        }
    }

    @Test
    void aLoneHandoffCommitsInItsOwnThread() throws Exception {
        List<String> committedBy = new ArrayList<>();
        try (GroupCommit commits = new GroupCommit(() -> committedBy.add(Thread.currentThread().getName()))) {
            CompletableFuture<Void> mine = commits.ticketToLead();
            commits.lead();
            assertEquals(true, mine.isDone(), "committed before lead() returned");
            assertEquals(List.of(Thread.currentThread().getName()), committedBy);
        }
    }

    @Test
    void aHandoffTicketedWhileACommitRunsIsTheCommittersAndLeadReturnsAtOnce() throws Exception {
        List<String> committedBy = new ArrayList<>();
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit commits = new GroupCommit(() -> {
            synchronized (committedBy) {
                committedBy.add(Thread.currentThread().getName());
            }
            if (firstInside.getCount() > 0) {
                firstInside.countDown();
                release.await();
            }
        })) {
            CompletableFuture<Void> first = commits.ticket(); // the committer thread's, held inside the commit
            firstInside.await();
            CompletableFuture<Void> second = commits.ticketToLead();
            commits.lead();
            assertEquals(false, second.isDone(), "lead() did not wait for the running commit");
            release.countDown();
            first.get(5, TimeUnit.SECONDS);
            second.get(5, TimeUnit.SECONDS);
            assertEquals(List.of("splice-commit", "splice-commit"), committedBy);
        }
    }

    @Test
    void closingCommitsWhatIsPendingAndRefusesNewTickets() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        GroupCommit commits = new GroupCommit(runs::incrementAndGet);
        CompletableFuture<Void> pending = commits.ticket();
        commits.close();
        pending.get(5, TimeUnit.SECONDS);
        assertThrows(ExecutionException.class, () -> commits.ticket().get(5, TimeUnit.SECONDS));
    }
}
