package org.tcpsplice.controller.fastpath;

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
 * a translating key with its newest entry, a retired end with its limits, or a tag-only key) in this encoding, one "key HEX value HEX"
 * line each. dataplane/check-vectors.sh compares the output with the C harness's encoding of the same file.
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
                String[] words = line.substring("map ".length()).split(" ");
                FourTuple key = EntryText.key(words[0]);
                System.out.println("key " + hex(FastPathEncoding.key(key)) + " value "
                        + hex(FastPathEncoding.value(held(words, newest.get(key)))));
            }
        }
    }

    /** A map line's element: "translate" (by the key's newest entry), "tag", or "retired last_seq=N last_ack=M". */
    private static FastPathEntries.Held held(String[] words, Level2Entry newest) {
        switch (words[1]) {
            case "translate":
                return FastPathEntries.Held.translating(newest);
            case "retired":
                return FastPathEntries.Held.retiredEnd((int) Long.parseLong(words[2].substring("last_seq=".length())),
                        (int) Long.parseLong(words[3].substring("last_ack=".length())));
            default:
                return FastPathEntries.Held.TAG_ONLY;
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
