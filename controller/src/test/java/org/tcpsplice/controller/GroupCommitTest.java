package org.tcpsplice.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Group commit with real threads; the commit step is a counter and a latch (a fake of fsync + barrier). */
class GroupCommitTest {
    @Test
    void waitersDuringOneCommitShareTheNext() throws Exception {
        GroupCommit commits = new GroupCommit();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch leaderInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long first = commits.ticket();
        Thread leader = new Thread(() -> {
            try {
                commits.await(first, () -> {
                    runs.incrementAndGet();
                    leaderInside.countDown();
                    release.await();
                });
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        leader.start();
        leaderInside.await();
        // Eight handoffs ticketed while the first commit runs: one more commit covers them all.
        List<Thread> followers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long t = commits.ticket();
            Thread f = new Thread(() -> {
                try {
                    commits.await(t, runs::incrementAndGet);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            f.start();
            followers.add(f);
        }
        Thread.sleep(50);
        release.countDown();
        leader.join();
        for (Thread f : followers) {
            f.join();
        }
        assertEquals(2, runs.get(), "two commits for nine handoffs");
    }

    @Test
    void aFailedCommitFailsEveryHandoffItCovered() throws Exception {
        GroupCommit commits = new GroupCommit();
        long a = commits.ticket();
        long b = commits.ticket();
        IOException disk = new IOException("disk gone");
        assertThrows(IOException.class, () -> commits.await(b, () -> {
            throw disk;
        }));
        Exception covered = assertThrows(IOException.class, () -> commits.await(a, () -> {
            throw new AssertionError("must not commit again: the failed commit covered it");
        }));
        assertEquals(disk, covered);
        long c = commits.ticket();
        AtomicInteger runs = new AtomicInteger();
        commits.await(c, runs::incrementAndGet);
        assertTrue(runs.get() == 1, "a later handoff commits afresh");
    }
}
