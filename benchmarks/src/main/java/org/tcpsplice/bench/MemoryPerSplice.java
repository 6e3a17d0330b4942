package org.tcpsplice.bench;

import org.openjdk.jol.info.GraphLayout;
import org.tcpsplice.core.map.SpliceTables;

/**
 * Bytes of splice-core state per splice with one handoff, two ways: JOL walks the tables' object
 * graph (exact), and the heap delta across creating a million splices (what a JVM really pays).
 */
public final class MemoryPerSplice {
    private MemoryPerSplice() {
    }

    public static void main(String[] args) {
        int exactN = 100_000;
        SpliceTables sample = Splices.fill(exactN);
        long graph = GraphLayout.parseInstance(sample).totalSize();
        System.out.printf("memory/splice (JOL object graph, %,d splices): %.1f bytes%n", exactN, graph / (double) exactN);

        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long before = usedAfterGc();
        SpliceTables tables = Splices.fill(n);
        long after = usedAfterGc();
        System.out.printf("memory/splice (heap delta, %,d splices):      %.1f bytes  (level-1 keys %,d, splices %,d)%n",
                n, (after - before) / (double) n, tables.level1Size(), tables.spliceCount());
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
