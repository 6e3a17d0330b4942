package org.tcpsplice.controller.fastpath;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.tcpsplice.core.map.EntryText;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;

/**
 * Prints, for each vector of the shared file, the map elements the fast path holds (its "map" lines:
 * a translating key with its newest entry, or a tag-only key) in this encoding, one "key HEX value HEX"
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
                String[] keyAndKind = line.substring("map ".length()).split(" ");
                FourTuple key = EntryText.key(keyAndKind[0]);
                Level2Entry translateBy = keyAndKind[1].equals("translate") ? newest.get(key) : null;
                System.out.println("key " + hex(FastPathEncoding.key(key)) + " value "
                        + hex(FastPathEncoding.value(translateBy)));
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
