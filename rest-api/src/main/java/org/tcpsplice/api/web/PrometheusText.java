package org.tcpsplice.api.web;

import java.util.Map;
import java.util.Set;

/**
 * {@code GET /metrics} in Prometheus's text exposition format (version 0.0.4): each metric as
 * {@code tcpsplice_NAME}, counters with the {@code _total} suffix, gauges as they are, the fast path's
 * mode as an info metric. The same names and values as the JSON form (docs/metrics.md).
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** What can go down as well as up; everything else numeric counts events. */
    private static final Set<String> GAUGES = Set.of("switch_connected", "splices", "level1_keys", "connections_steered",
            "fast_path_entries", "handoff_latency_us_p50", "handoff_latency_us_p99", "handoff_latency_samples");

    private PrometheusText() {
    }

    public static String of(Map<String, Object> metrics) {
        StringBuilder out = new StringBuilder();
        metrics.forEach((name, value) -> {
            String metric = "tcpsplice_" + name;
            if (value instanceof Boolean) {
                line(out, metric, "gauge", (Boolean) value ? "1" : "0");
            } else if (value instanceof Number) {
                boolean gauge = GAUGES.contains(name);
                line(out, gauge ? metric : metric + "_total", gauge ? "gauge" : "counter", value.toString());
            } else {
                out.append("# TYPE ").append(metric).append("_info gauge\n").append(metric).append("_info{mode=\"")
                        .append(String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"")).append("\"} 1\n");
            }
        });
        return out.toString();
    }

    private static void line(StringBuilder out, String metric, String type, String value) {
        out.append("# TYPE ").append(metric).append(' ').append(type).append('\n')
                .append(metric).append(' ').append(value).append('\n');
    }
}
