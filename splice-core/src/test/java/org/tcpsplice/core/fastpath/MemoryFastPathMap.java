package org.tcpsplice.core.fastpath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A fake of the kernel's map for unit tests: a sorted map by key in hex, counting the writes. */
final class MemoryFastPathMap implements FastPathMap {
    final Map<String, byte[]> elements = new TreeMap<>();
    int updates;

    @Override
    public void update(byte[] key, byte[] value) {
        elements.put(FastPathBatch.Hex.of(key), value.clone());
        updates++;
    }

    @Override
    public byte[] lookup(byte[] key) {
        byte[] v = elements.get(FastPathBatch.Hex.of(key));
        return v == null ? null : v.clone();
    }

    @Override
    public boolean delete(byte[] key) {
        return elements.remove(FastPathBatch.Hex.of(key)) != null;
    }

    @Override
    public List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        elements.keySet().forEach(k -> keys.add(FastPathBatch.Hex.parse(k)));
        return keys;
    }
}
