package org.tcpsplice.core.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.packet.FrameStatus;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.rules.FastPathEntries;
import org.tcpsplice.core.testing.Hex;

/**
 * The shared vector file (test-vectors/translator-vectors.txt) is what the Java logic does today, and
 * replaying the file alone (state rebuilt from its entry lines) reproduces every output: exactly the
 * check the XDP harness makes against its own program.
 *
 * <p>Run with {@code -Dtcpsplice.regenerateVectors=true} to rewrite the file after an intended change.
 */
class TestVectorFileTest {
    private static Path file() {
        return Paths.get(System.getProperty("tcpsplice.vectors", "../test-vectors/translator-vectors.txt"));
    }

    @Test
    void committedFileIsWhatTheJavaLogicDoesToday() throws IOException {
        String generated = VectorFile.write(VectorCatalog.all());
        if (Boolean.getBoolean("tcpsplice.regenerateVectors")) {
            Files.createDirectories(file().getParent());
            Files.write(file(), generated.getBytes(StandardCharsets.US_ASCII));
        }
        String committed = new String(Files.readAllBytes(file()), StandardCharsets.US_ASCII);
        assertEquals(generated, committed,
                "the Java translator's behaviour changed: if intended, run scripts/regenerate-vectors.sh and review the diff");
    }

    @Test
    void replayingTheFileReproducesEveryVector() throws IOException {
        List<TestVector> vectors = VectorFile.read(new String(Files.readAllBytes(file()), StandardCharsets.US_ASCII));
        assertTrue(vectors.size() >= 25, "the file holds " + vectors.size() + " vectors");
        for (TestVector v : vectors) {
            SpliceTables tables = new SpliceTables();
            for (TestVector.Table t : v.tables) {
                tables.restore(t.key, t.newestFirst.get(0));
            }
            VectorCatalog.Replay r = VectorCatalog.replay(tables, v.in);
            assertEquals(v.verdict, r.verdict, v.name);
            assertEquals(Hex.of(v.out), Hex.of(r.out), v.name);
            assertEquals(v.fastPathMap, r.fastPathMap, v.name);
            assertEquals(v.fastPath, r.fastPath, v.name);
            if (r.verdict.startsWith("TRANSLATED")) {
                TcpFrame f = new TcpFrame();
                assertEquals(FrameStatus.OK, f.parse(r.out, 0, r.out.length));
                assertTrue(f.checksumsValid(), v.name + ": translated frame must carry valid checksums");
            } else {
                assertEquals(Hex.of(v.in), Hex.of(v.out), v.name + ": only a translation changes bytes");
            }
        }
    }

    @Test
    void fileCoversWhatTheFastPathMustGetRight() throws IOException {
        List<TestVector> vectors = VectorFile.read(new String(Files.readAllBytes(file()), StandardCharsets.US_ASCII));
        Set<String> verdicts = vectors.stream().map(v -> v.verdict).collect(Collectors.toSet());
        for (String needed : new String[] {"TRANSLATED IN_RANGE", "FORWARD_UNCHANGED BEFORE_FIRST_HANDOFF",
            "FORWARD_UNCHANGED RETIRED_END_OLD_RANGE", "FORWARD_UNCHANGED NO_LEVEL1_MATCH", "DROP STRAY_PAST_HANDOFF",
            "DROP STRAY_FROM_RETIRED_END", "DROP SYN_ON_SPLICED_TUPLE", "NOT_PARSED IP_OPTIONS", "NOT_PARSED FRAGMENT"}) {
            assertTrue(verdicts.contains(needed), "no vector for " + needed);
        }
        Set<FastPathEntries.Action> actions = vectors.stream().map(v -> v.fastPath).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(FastPathEntries.Action.class), actions, "every fast-path action has a vector");
        assertTrue(vectors.stream().anyMatch(v -> v.verdict.startsWith("TRANSLATED")
                        && v.fastPath == FastPathEntries.Action.TAG),
                "an older-range translation the fast path must leave to the controller");
        assertTrue(vectors.stream().anyMatch(v -> v.verdict.startsWith("NOT_PARSED")
                        && v.fastPath == FastPathEntries.Action.TAG),
                "a malformed frame of a spliced tuple: tagged, never passed to the switch's own rules");
        assertTrue(vectors.stream().anyMatch(v -> v.fastPathMap.containsValue("tag")),
                "tuples the fast path only tags (a sealed sender) are written to the file");
        assertTrue(vectors.stream().anyMatch(v -> v.verdict.endsWith("RETIRED_END_OLD_RANGE")
                        && v.fastPath == FastPathEntries.Action.PASS),
                "a retired end's frame within its limits: passed on, not sent through the controller");
        assertTrue(vectors.stream().anyMatch(v -> v.verdict.endsWith("STRAY_FROM_RETIRED_END")
                        && v.fastPath == FastPathEntries.Action.TAG),
                "a retired end's frame past its limits: the controller's (to drop)");
        Level2Entry sealedSeen = vectors.stream().flatMap(v -> v.tables.stream()).map(t -> t.newestFirst.get(0))
                .filter(Level2Entry::sealed).findFirst().orElse(null);
        assertFalse(sealedSeen == null, "sealed entries are written to and read from the file");
    }
}
