package org.tcpsplice.controller;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters and the handoff latency (POST received to rules confirmed) for GET /metrics. */
final class Metrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    /** The last 4096 handoff latencies in microseconds: enough for stable p50/p99. */
    private final long[] latencies = new long[4096];
    private long recorded;

    void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    synchronized void handoffLatency(long nanos) {
        latencies[(int) (recorded++ % latencies.length)] = nanos / 1000;
    }

    synchronized Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        counters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> m.put(e.getKey(), e.getValue().sum()));
        int n = (int) Math.min(recorded, latencies.length);
        if (n > 0) {
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            m.put("handoff_latency_us_p50", sorted[n / 2]);
            m.put("handoff_latency_us_p99", sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)]);
            m.put("handoff_latency_samples", n);
        }
        return m;
    }
}
