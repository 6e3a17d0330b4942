package org.tcpsplice.controller.fastpath;

import java.io.IOException;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.RuleCompiler;

/**
 * The controller's side of the fast path: it keeps the translator's map equal to
 * {@link org.tcpsplice.core.rules.FastPathEntries} for every splice, and says which switch rules that
 * needs. The boundary is "these keys now hold these 52-byte values, these keys are gone", so a small
 * agent on the switch host could apply the same updates for a controller elsewhere (README, "Fast path").
 * Called under the controller's programming lock.
 */
public interface FastPath extends AutoCloseable {
    /** Without a fast path every spliced packet goes through the controller. */
    FastPath OFF = new FastPath() {
        @Override
        public RuleCompiler.Mode ruleMode() {
            return RuleCompiler.Mode.SLOW_PATH;
        }

        @Override
        public void sync(SpliceTables tables, FourTuple clientKey) {
        }

        @Override
        public void resync(SpliceTables tables) {
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

    /** The rules the switch needs beside this fast path. */
    RuleCompiler.Mode ruleMode();

    /** Makes the map hold exactly this splice's fast-path entries (none once the splice is gone). */
    void sync(SpliceTables tables, FourTuple clientKey) throws IOException;

    /** Makes the map hold every splice's entries and nothing else (at start: stale entries go). */
    void resync(SpliceTables tables) throws IOException;

    /** How many map elements this controller has written and not deleted. */
    int entries();

    @Override
    void close();
}
