package org.tcpsplice.onos.impl;

import java.util.HashMap;
import java.util.Map;
import org.onosproject.store.serializers.KryoNamespaces;
import org.onosproject.store.service.ConsistentMap;
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

    @Activate
    protected void activate() {
        splices = storageService.<String, String>consistentMapBuilder().withName(MAP_NAME)
                .withSerializer(Serializer.using(KryoNamespaces.API)).build();
    }

    @Override
    public void put(String clientKey, String splice) {
        splices.put(clientKey, splice);
    }

    @Override
    public void remove(String clientKey) {
        splices.remove(clientKey);
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
