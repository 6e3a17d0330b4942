package org.tcpsplice.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.testing.Figure2;

/** The journal on a real file: splices survive a restart exactly, removals stick, a torn tail is ignored. */
class SpliceJournalTest {
    @TempDir
    Path dir;

    private static String describe(SpliceTables t, FourTuple client) {
        StringBuilder s = new StringBuilder();
        for (FourTuple key : t.level1Keys(client)) {
            s.append(key).append(':');
            for (Level2Entry e = t.level2Table(key); e != null; e = e.older) {
                s.append(' ').append(e);
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Test
    void theFigure2SpliceSurvivesARestart() throws Exception {
        Path file = dir.resolve("j");
        Figure2 fig = Figure2.afterBothHandoffs();
        try (SpliceJournal j = new SpliceJournal(file)) {
            j.put(fig.tables, Figure2.CLIENT_KEY);
        }
        SpliceTables restored = new SpliceTables();
        try (SpliceJournal j = new SpliceJournal(file)) {
            assertEquals(List.of(Figure2.CLIENT_KEY), j.restoreInto(restored));
        }
        assertEquals(describe(fig.tables, Figure2.CLIENT_KEY), describe(restored, Figure2.CLIENT_KEY),
                "every key, entry, chain order and seal comes back");
        assertTrue(restored.level2Table(Figure2.C2.reversed()).sealed());
    }

    @Test
    void removalsAndTornTailsAreHandled() throws Exception {
        Path file = dir.resolve("j");
        Figure2 fig = Figure2.afterBothHandoffs();
        try (SpliceJournal j = new SpliceJournal(file)) {
            j.put(fig.tables, Figure2.CLIENT_KEY);
            j.remove(Figure2.CLIENT_KEY);
            j.put(fig.tables, Figure2.CLIENT_KEY);
        }
        Files.write(file, "put\t10.0.0.9:1->10.0.0.100:80\t10.0.0.9:1->10.0.0.100:80 handoff_s".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        SpliceTables restored = new SpliceTables();
        try (SpliceJournal j = new SpliceJournal(file)) {
            j.restoreInto(restored);
            assertEquals(1, j.size());
            j.remove(Figure2.CLIENT_KEY);
        }
        assertEquals(1, restored.spliceCount(), "the torn record is ignored");
        try (SpliceJournal j = new SpliceJournal(file)) {
            SpliceTables empty = new SpliceTables();
            j.restoreInto(empty);
            assertNull(empty.level2Table(Figure2.CLIENT_KEY), "a removal survives a restart too");
        }
        assertEquals("", Files.readString(file), "compaction leaves only live splices");
    }
}
