package org.tcpsplice.onos.impl;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.onosproject.store.serializers.KryoNamespaces;
import org.onosproject.store.service.AsyncConsistentMap;
import org.onosproject.store.service.ConsistentMap;
import org.onosproject.store.service.MapEvent;
import org.onosproject.store.service.MapEventListener;
import org.onosproject.store.service.Serializer;
import org.onosproject.store.service.StorageService;
import org.onosproject.store.service.Versioned;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.tcpsplice.onos.api.SpliceStore;

/**
 * The splices in ONOS's consistent store. Values are plain strings (the SpliceText form), so the
 * store needs no serializer beyond ONOS's basic API namespace.
 */
@Component(immediate = true, service = SpliceStore.class)
public class DistributedSpliceStore implements SpliceStore {
    static final String MAP_NAME = "tcpsplice-splices";

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected StorageService storageService;

    private ConsistentMap<String, String> splices;
    private AsyncConsistentMap<String, String> asyncSplices;
    private final Map<Listener, MapEventListener<String, String>> listeners = new ConcurrentHashMap<>();

    @Activate
    protected void activate() {
        asyncSplices = storageService.<String, String>consistentMapBuilder().withName(MAP_NAME)
                .withSerializer(Serializer.using(KryoNamespaces.API)).buildAsyncMap();
        splices = asyncSplices.asConsistentMap();
    }

    @Override
    public CompletableFuture<Void> put(String clientKey, String splice) {
        return asyncSplices.put(clientKey, splice).thenApply(previous -> null);
    }

    @Override
    public CompletableFuture<Void> remove(String clientKey) {
        return asyncSplices.remove(clientKey).thenApply(previous -> null);
    }

    @Override
    public void addListener(Listener listener) {
        MapEventListener<String, String> l = event -> listener.changed(event.key(),
                event.type() == MapEvent.Type.REMOVE || event.newValue() == null ? null : event.newValue().value());
        listeners.put(listener, l);
        splices.addListener(l);
    }

    @Override
    public void removeListener(Listener listener) {
        MapEventListener<String, String> l = listeners.remove(listener);
        if (l != null) {
            splices.removeListener(l);
        }
    }

    @Override
    public Map<String, String> all() {
        Map<String, String> all = new HashMap<>();
        for (Map.Entry<String, Versioned<String>> e : splices.entrySet()) {
            all.put(e.getKey(), e.getValue().value());
        }
        return all;
    }
}
