package org.tcpsplice.controller.fastpath;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import org.tcpsplice.core.map.EntryText;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.FastPathEntries;

/**
 * Prints, for each vector of the shared file, the map elements the fast path would hold (each key's
 * newest unsealed entry) in this encoding, one "key HEX value HEX" line each. dataplane/check-vectors.sh
 * compares the output with the C harness's encoding of the same file.
 */
public final class EncodingDump {
    private EncodingDump() {
    }

    public static void main(String[] args) throws Exception {
        Set<FourTuple> seen = new HashSet<>();
        for (String line : Files.readAllLines(Paths.get(args[0]))) {
            if (line.startsWith("vector ")) {
                seen.clear();
            } else if (line.startsWith("entry ")) {
                String entry = line.substring("entry ".length());
                FourTuple key = EntryText.key(entry);
                Level2Entry e = EntryText.entry(entry);
                // A key's first entry line is its newest (the file lists each table newest first).
                if (seen.add(key) && FastPathEntries.holds(e)) {
                    System.out.println("key " + hex(FastPathEncoding.key(key)) + " value " + hex(FastPathEncoding.value(e)));
                }
            }
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xFF));
        }
        return s.toString();
    }
}
