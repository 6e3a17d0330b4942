package org.tcpsplice.core;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.tcpsplice.core.map.MappingDecision;

/**
 * The counters both controllers expose in GET /metrics, under the same names: events by name
 * (packet_in, new_connections, handoffs_applied, splices_ended_CAUSE, ...), each punted packet's
 * verdict, and the handoff latency (POST received to rules confirmed).
 */
public final class SpliceCounters {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    /** Per-packet counters, keyed without building a string for every packet. */
    private final Map<MappingDecision.Reason, LongAdder> reasons = new EnumMap<>(MappingDecision.Reason.class);
    private final Map<PacketVerdict.Kind, LongAdder> kinds = new EnumMap<>(PacketVerdict.Kind.class);

    public SpliceCounters() {
        for (MappingDecision.Reason r : MappingDecision.Reason.values()) {
            reasons.put(r, new LongAdder());
        }
        for (PacketVerdict.Kind k : PacketVerdict.Kind.values()) {
            kinds.put(k, new LongAdder());
        }
    }

    /** Counts one punted packet's verdict (by its mapping reason when it has one). */
    public void verdict(PacketVerdict v) {
        if (v.decision != null) {
            reasons.get(v.decision.reason).increment();
        } else {
            kinds.get(v.kind).increment();
        }
    }
    /** The last 4096 handoff latencies in microseconds: enough for stable p50/p99. */
    private final long[] latencies = new long[4096];
    private long recorded;

    public void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    public synchronized void handoffLatency(long nanos) {
        latencies[(int) (recorded++ % latencies.length)] = nanos / 1000;
    }

    /** Every counter that has counted, by name, sorted; then the latency percentiles if any handoff was timed. */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> all = new java.util.TreeMap<>();
        counters.forEach((k, v) -> all.put(k, v.sum()));
        reasons.forEach((r, v) -> {
            if (v.sum() > 0) {
                all.put("verdict_" + r, v.sum());
            }
        });
        kinds.forEach((k, v) -> {
            if (v.sum() > 0) {
                all.put("verdict_" + k, v.sum());
            }
        });
        m.putAll(all);
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
