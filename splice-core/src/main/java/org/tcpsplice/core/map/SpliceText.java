package org.tcpsplice.core.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpsplice.core.net.FourTuple;

/**
 * One splice's whole state (every level-1 key with its level-2 entries) as one line of text, tab
 * separated, entries in {@link EntryText} form. What the controller's journal and the ONOS store keep.
 */
public final class SpliceText {
    private SpliceText() {
    }

    /** The splice with this client key, as it is in the tables now. */
    public static String format(SpliceTables tables, FourTuple clientKey) {
        StringBuilder line = new StringBuilder(clientKey.toString());
        for (FourTuple key : tables.level1Keys(clientKey)) {
            for (Level2Entry e = tables.level2Table(key); e != null; e = e.older) {
                line.append('\t').append(EntryText.format(key, e));
            }
        }
        return line.toString();
    }

    /** The client key of a formatted splice. */
    public static FourTuple clientKey(String line) {
        int tab = line.indexOf('\t');
        return FourTuple.parse(tab < 0 ? line : line.substring(0, tab));
    }

    /**
     * Puts a formatted splice into the tables (each key's entries newest first, as written), in place of
     * what they held for it: a later record of a splice may hold fewer keys (older ranges compacted away).
     */
    public static void restore(SpliceTables tables, String line) {
        String[] fields = line.split("\t");
        Map<FourTuple, List<Level2Entry>> byKey = new LinkedHashMap<>();
        for (int i = 1; i < fields.length; i++) {
            byKey.computeIfAbsent(EntryText.key(fields[i]), k -> new ArrayList<>()).add(EntryText.entry(fields[i]));
        }
        Map<FourTuple, Level2Entry> heads = new LinkedHashMap<>();
        byKey.forEach((key, entries) -> heads.put(key, EntryText.chain(entries).get(0)));
        tables.putBack(clientKey(line), heads);
    }
}
