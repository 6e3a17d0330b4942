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
 * copies that ACK to this node), and at the latest after a second, from one thread. Each c2 is looked
 * at 5 ms after it sent its request, then at doubling intervals: nothing waits for its silence but its
 * close, and some never see the ACK (under forced rotating handoffs: 72 % acknowledged within 10 ms,
 * 22 % within 50 ms, 6 % not within the second; why those 6 % get no copy is not known yet). A timer
 * task per c2 every 2 ms had cost the agents 6 % of the machine there, mostly in the timer's wake-ups
 * (docs/benchmarks/2026-12-08.md).
 */
final class C2Silencer {
    private static final Logger LOG = Logger.getLogger(C2Silencer.class.getName());
    static final long FIRST_LOOK_NANOS = 5_000_000L;
    static final long LONGEST_INTERVAL_NANOS = 160_000_000L;
    static final long LATEST_NANOS = 1_000_000_000L;

    /** One c2: its socket, when to look next and to give up, and what completes once it is silent. */
    private static final class Waiting {
        final int fd;
        final long giveUpAt;
        long interval = FIRST_LOOK_NANOS;
        long nextLook;
        final CompletableFuture<Void> silent = new CompletableFuture<>();

        Waiting(int fd, long now) {
            this.fd = fd;
            this.giveUpAt = now + LATEST_NANOS;
            this.nextLook = now + FIRST_LOOK_NANOS;
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
        Waiting w = new Waiting(fd, System.nanoTime());
        arriving.add(w);
        if (idle) {
            LockSupport.unpark(thread); // else the thread takes it at its next look, at most 160 ms late
        }
        return w.silent;
    }

    private void run() {
        List<Waiting> waiting = new ArrayList<>();
        while (true) {
            for (Waiting w; (w = arriving.poll()) != null; ) {
                waiting.add(w);
            }
            if (waiting.isEmpty()) {
                idle = true;
                if (arriving.isEmpty()) {
                    LockSupport.park(this); // until the next c2 (an unpark before this returns at once)
                }
                idle = false;
                continue;
            }
            long now = System.nanoTime();
            waiting.removeIf(w -> w.nextLook - now <= 0 && trySilence(w, now));
            // Until the next look is due: a new c2's first (5 ms after its request) or an older one's.
            long wakeAt = now + LONGEST_INTERVAL_NANOS;
            for (Waiting w : waiting) {
                wakeAt = w.nextLook - wakeAt < 0 ? w.nextLook : wakeAt;
            }
            for (long left; (left = wakeAt - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(this, left);
            }
        }
    }

    /** True once w is silent (or given up on); else when to look again is set. */
    private static boolean trySilence(Waiting w, long now) {
        try {
            if (LinuxTcp.unacknowledged(w.fd) > 0 && now - w.giveUpAt < 0) {
                w.interval = Math.min(2 * w.interval, LONGEST_INTERVAL_NANOS);
                w.nextLook = Math.min(now + w.interval, w.giveUpAt);
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
