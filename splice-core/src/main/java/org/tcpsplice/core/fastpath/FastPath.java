package org.tcpsplice.core.fastpath;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;

/**
 * The controller's side of the fast path: it keeps the translator's map equal to
 * {@link org.tcpsplice.core.rules.FastPathEntries} for every splice, and says whether the switch still
 * needs per-splice rules. The boundary is "these keys now hold these 56-byte values, these keys are gone", so a small
 * agent on the switch host could apply the same updates for a controller elsewhere (docs/fast-path.md).
 * Called under the controller's programming lock.
 */
public interface FastPath extends AutoCloseable {
    /** Without a fast path every spliced packet goes through the controller. */
    FastPath OFF = new FastPath() {
        @Override
        public boolean replacesSpliceRules() {
            return false;
        }

        @Override
        public CompletableFuture<Void> sync(SpliceTables tables, FourTuple clientKey) {
            return CompletableFuture.completedFuture(null);
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
        public String toString() {
            return "off (slow path only)";
        }

        @Override
        public void close() {
        }
    };

    /**
     * True when the fast path itself sends every packet of a splice that it does not translate to the
     * controller (tagged), so the switch holds no per-splice rules and a handoff waits for no barrier.
     */
    boolean replacesSpliceRules();

    /**
     * Makes the map hold exactly this splice's fast-path entries (none once the splice is gone).
     * Completes once the map holds them (a map on this host: at once), or fails if it could not be written.
     */
    CompletableFuture<Void> sync(SpliceTables tables, FourTuple clientKey);

    /** Makes the map hold every splice's entries and nothing else (at start: stale entries go). */
    void resync(SpliceTables tables) throws IOException;

    /**
     * Whether the fast path translated a packet of this splice within the last {@code seconds}: such
     * packets never reach the controller, so a splice that looks idle there may not be.
     */
    boolean translatedWithin(FourTuple clientKey, int seconds) throws IOException;

    /** How many map elements this controller has written and not deleted. */
    int entries();

    @Override
    void close();
}
