package org.tcpsplice.agent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Silences each handoff's c2 once the target has acknowledged the request c2 forwarded (the controller
 * copies that ACK to this node), and at the latest after a second, from one thread that looks at every
 * waiting c2 each {@link #PERIOD_NANOS}. Nothing waits for it but the socket's close, so a few
 * milliseconds late costs nothing; a task per c2 rescheduled every 2 ms had cost the agents 6 % of the
 * machine under forced handoffs, mostly in the timer queue's wake-ups (docs/benchmarks/2026-12-08.md).
 */
final class C2Silencer {
    private static final Logger LOG = Logger.getLogger(C2Silencer.class.getName());
    static final long PERIOD_NANOS = 5_000_000L;
    static final long LATEST_NANOS = 1_000_000_000L;

    /** One c2: its socket, when to give up waiting for the ACK, and what completes once it is silent. */
    private static final class Waiting {
        final int fd;
        final long giveUpAt;
        final CompletableFuture<Void> silent = new CompletableFuture<>();

        Waiting(int fd, long giveUpAt) {
            this.fd = fd;
            this.giveUpAt = giveUpAt;
        }
    }

    private final ConcurrentLinkedQueue<Waiting> arriving = new ConcurrentLinkedQueue<>();
    private final Thread thread = new Thread(this::run, "silence-c2");
    /** The thread waits for a first c2 (not for its next round). */
    private volatile boolean idle;

    C2Silencer() {
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Silences socket {@code fd} once nothing it sent is unacknowledged; the future completes then (also
     * if it could not be silenced: the socket may be closed either way).
     */
    CompletableFuture<Void> silenceWhenAcknowledged(int fd) {
        Waiting w = new Waiting(fd, System.nanoTime() + LATEST_NANOS);
        arriving.add(w);
        if (idle) {
            LockSupport.unpark(thread); // else it looks at arrivals at its next round anyway
        }
        return w.silent;
    }

    private void run() {
        List<Waiting> waiting = new ArrayList<>();
        while (true) {
            if (waiting.isEmpty()) {
                idle = true;
                if (arriving.isEmpty()) {
                    LockSupport.park(this); // until the next c2 (an unpark before this returns at once)
                }
                idle = false;
            }
            // A round later: the c2 that woke it has just sent its request; its ACK takes a round trip.
            LockSupport.parkNanos(this, PERIOD_NANOS);
            for (Waiting w; (w = arriving.poll()) != null; ) {
                waiting.add(w);
            }
            long now = System.nanoTime();
            waiting.removeIf(w -> trySilence(w, now));
        }
    }

    /** True once w is silent (or given up on). */
    private static boolean trySilence(Waiting w, long now) {
        try {
            if (LinuxTcp.unacknowledged(w.fd) > 0 && now - w.giveUpAt < 0) {
                return false;
            }
            LinuxTcp.silence(w.fd);
        } catch (IOException e) {
            LOG.warning("could not silence c2: " + e.getMessage());
        }
        w.silent.complete(null);
        return true;
    }
}
