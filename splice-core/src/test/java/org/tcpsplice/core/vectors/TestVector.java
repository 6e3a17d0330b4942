package org.tcpsplice.core.vectors;

import java.util.List;
import java.util.Map;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.FastPathEntries;

/**
 * One translator test vector: the splice state (every level-1 key with its level-2 entries, newest
 * first), an input frame, and what the switch logic does with it. Shared with the XDP fast path.
 */
public final class TestVector {
    /** A level-1 key and its level-2 table, newest entry first. */
    public static final class Table {
        public final FourTuple key;
        public final List<Level2Entry> newestFirst;

        public Table(FourTuple key, List<Level2Entry> newestFirst) {
            this.key = key;
            this.newestFirst = newestFirst;
        }
    }

    public final String name;
    public final String note;
    public final List<Table> tables;
    public final byte[] in;
    /** The Java verdict, e.g. "TRANSLATED IN_RANGE" or "NOT_PARSED IP_OPTIONS". */
    public final String verdict;
    /** The frame after the Java switch logic (identical to {@link #in} unless translated). */
    public final byte[] out;
    /**
     * What the fast path's map holds for the splices: every tuple, and its kind as the file writes it
     * ({@link org.tcpsplice.core.rules.FastPathEntries.Held#text}): translating by the tuple's newest entry (the first of its table
     * above), a retired end with its limits, or a tag only.
     */
    public final Map<FourTuple, String> fastPathMap;
    /** What the XDP program must do: produce {@link #out}, tag {@link #in}, leave it as it is, or drop it. */
    public final FastPathEntries.Action fastPath;

    public TestVector(String name, String note, List<Table> tables, byte[] in, String verdict, byte[] out,
                      Map<FourTuple, String> fastPathMap, FastPathEntries.Action fastPath) {
        this.name = name;
        this.note = note;
        this.tables = tables;
        this.in = in;
        this.verdict = verdict;
        this.out = out;
        this.fastPathMap = fastPathMap;
        this.fastPath = fastPath;
    }
}
