package org.tcpsplice.core.vectors;

import java.util.List;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;

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
    /** True when the XDP program must produce {@link #out}; false when it must leave {@link #in} as it is. */
    public final boolean fastPathTranslates;

    public TestVector(String name, String note, List<Table> tables, byte[] in, String verdict, byte[] out,
                      boolean fastPathTranslates) {
        this.name = name;
        this.note = note;
        this.tables = tables;
        this.in = in;
        this.verdict = verdict;
        this.out = out;
        this.fastPathTranslates = fastPathTranslates;
    }
}
