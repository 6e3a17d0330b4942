package org.tcpsplice.core.map;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tcpsplice.core.net.FourTuple;

/** Test helper: every level-1 key and level-2 entry as text, to prove an operation changed nothing. */
final class TablesDump {
    private TablesDump() {
    }

    static String of(SpliceTables tables) {
        List<String> lines = new ArrayList<>();
        for (FourTuple client : tables.clientKeys()) {
            for (FourTuple key : tables.level1Keys(client)) {
                StringBuilder s = new StringBuilder(key.toString()).append(" state=").append(
                        key.equals(client) ? tables.closeState(client) : 0).append(":");
                for (Level2Entry e = tables.level2Table(key); e != null; e = e.older) {
                    s.append("\n  ").append(e);
                }
                lines.add(s.toString());
            }
        }
        Collections.sort(lines);
        return lines.size() + " keys\n" + String.join("\n", lines);
    }
}
