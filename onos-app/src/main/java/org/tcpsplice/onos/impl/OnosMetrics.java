package org.tcpsplice.onos.impl;

import com.codahale.metrics.Gauge;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.onlab.metrics.MetricsComponent;
import org.onlab.metrics.MetricsFeature;
import org.onlab.metrics.MetricsService;

/**
 * The engine's counters and gauges in ONOS's metrics service (component {@code tcpsplice}, feature
 * {@code engine}), as ONOS apps publish theirs: one gauge per name, read from the engine when ONOS
 * reads it. A counter exists once it has counted, so {@link #refresh} registers names as they appear.
 */
final class OnosMetrics {
    private final MetricsService service;
    private final Supplier<Map<String, Object>> metrics;
    private final MetricsComponent component;
    private final MetricsFeature feature;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    OnosMetrics(MetricsService service, Supplier<Map<String, Object>> metrics) {
        this.service = service;
        this.metrics = metrics;
        this.component = service.registerComponent("tcpsplice");
        this.feature = component.registerFeature("engine");
        refresh();
    }

    /** Registers a gauge for each name the engine has begun to report since the last call. */
    void refresh() {
        for (String name : metrics.get().keySet()) {
            if (registered.add(name)) {
                service.registerMetric(component, feature, name, (Gauge<Object>) () -> metrics.get().get(name));
            }
        }
    }

    void close() {
        registered.forEach(name -> service.removeMetric(component, feature, name));
        registered.clear();
    }
}
