package org.tcpsplice.core.fastpath;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.tcpsplice.core.map.EntryText;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.FastPathEntries;

/**
 * Prints, for each vector of the shared file, the map elements the fast path holds (its "map" lines:
 * a translating key with its newest entry, a retired end with its limits, or a tag-only key) in this
 * encoding, one "key HEX value HEX" line each. dataplane/check-vectors.sh compares the output with the C
 * harness's encoding of the same file.
 */
public final class EncodingDump {
    private EncodingDump() {
    }

    public static void main(String[] args) throws Exception {
        Map<FourTuple, Level2Entry> newest = new HashMap<>();
        for (String line : Files.readAllLines(Paths.get(args[0]))) {
            if (line.startsWith("vector ")) {
                newest.clear();
            } else if (line.startsWith("entry ")) {
                // A key's first entry line is its newest (the file lists each table newest first).
                String entry = line.substring("entry ".length());
                newest.putIfAbsent(EntryText.key(entry), EntryText.entry(entry));
            } else if (line.startsWith("map ")) {
                String element = line.substring("map ".length());
                int keyEnd = element.indexOf(' ');
                FourTuple key = EntryText.key(element.substring(0, keyEnd));
                FastPathEntries.Held held = FastPathEntries.Held.parse(element.substring(keyEnd + 1), newest.get(key));
                System.out.println("key " + FastPathBatch.Hex.of(FastPathEncoding.key(key)) + " value " + FastPathBatch.Hex.of(FastPathEncoding.value(held)));
            }
        }
    }
}
