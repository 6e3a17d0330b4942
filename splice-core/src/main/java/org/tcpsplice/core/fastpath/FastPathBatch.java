package org.tcpsplice.core.fastpath;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change of the fast path's map, as a controller sends it: "these keys now hold these values,
 * these keys are gone", or, with {@link #replacesAll}, "the map holds exactly these values" (a resync).
 * The standalone controller applies it to the map in process; the ONOS app sends it to the switch-host
 * agent, in the text form of {@link #format} (one "set KEY VALUE", "delete KEY" or "replace" line each,
 * hex), which the agent reads back with {@link #parse} and applies the same way.
 */
public final class FastPathBatch {
    private final boolean replacesAll;
    private final Map<String, byte[]> set = new LinkedHashMap<>();
    private final Map<String, byte[]> deleted = new LinkedHashMap<>();

    public FastPathBatch(boolean replacesAll) {
        this.replacesAll = replacesAll;
    }

    public boolean replacesAll() {
        return replacesAll;
    }

    public FastPathBatch set(byte[] key, byte[] value) {
        String hex = Hex.of(FastPathEncoding.checkedKey(key));
        deleted.remove(hex);
        set.put(hex, FastPathEncoding.checkedValue(value));
        return this;
    }

    public FastPathBatch delete(byte[] key) {
        String hex = Hex.of(FastPathEncoding.checkedKey(key));
        set.remove(hex);
        deleted.put(hex, key);
        return this;
    }

    /**
     * This batch and then {@code next}, as one: for each key the later change wins, so the sets and the
     * deletes name different keys and the order they are applied in no longer matters. A replace of
     * everything makes what came before it irrelevant. Returns the batch to send (this one, or next).
     */
    public FastPathBatch followedBy(FastPathBatch next) {
        if (next.replacesAll) {
            return next;
        }
        next.deleted.values().forEach(this::delete);
        next.set.forEach((hex, value) -> {
            deleted.remove(hex);
            set.put(hex, value);
        });
        return this;
    }

    /** Nothing to write (a replace of everything by nothing is not empty: it empties the map). */
    public boolean isEmpty() {
        return !replacesAll && set.isEmpty() && deleted.isEmpty();
    }

    /** How many keys it sets or deletes. */
    public int size() {
        return set.size() + deleted.size();
    }

    /**
     * Writes the batch into the map. A replace deletes every key it does not set and leaves a key whose
     * value is already the same entry ({@link FastPathEncoding#sameEntry}) alone, so a resync while
     * traffic flows neither opens a gap nor restarts an entry's counters.
     */
    public void applyTo(FastPathMap map) throws IOException {
        if (replacesAll) {
            for (byte[] key : map.keys()) {
                byte[] wanted = set.get(Hex.of(key));
                if (wanted == null) {
                    map.delete(key);
                }
            }
        }
        for (Map.Entry<String, byte[]> e : set.entrySet()) {
            byte[] key = Hex.parse(e.getKey());
            if (replacesAll) {
                byte[] current = map.lookup(key);
                if (current != null && FastPathEncoding.sameEntry(current, e.getValue())) {
                    continue;
                }
            }
            map.update(key, e.getValue());
        }
        for (byte[] key : deleted.values()) {
            map.delete(key);
        }
    }

    /** The text form: "replace" first if it replaces all, then a line per key. */
    public String format() {
        StringBuilder s = new StringBuilder();
        if (replacesAll) {
            s.append("replace\n");
        }
        set.forEach((key, value) -> s.append("set ").append(key).append(' ').append(Hex.of(value)).append('\n'));
        deleted.keySet().forEach(key -> s.append("delete ").append(key).append('\n'));
        return s.toString();
    }

    /** Reads {@link #format}'s text; anything else is refused with the line that is wrong. */
    public static FastPathBatch parse(String text) {
        String[] lines = text.split("\n", -1);
        int first = lines.length > 0 && lines[0].equals("replace") ? 1 : 0;
        FastPathBatch batch = new FastPathBatch(first == 1);
        for (int i = first; i < lines.length; i++) {
            String[] words = lines[i].split(" ", -1);
            try {
                if (words.length == 3 && words[0].equals("set")) {
                    batch.set(Hex.parse(words[1]), Hex.parse(words[2]));
                } else if (words.length == 2 && words[0].equals("delete")) {
                    batch.delete(Hex.parse(words[1]));
                } else if (!(lines[i].isEmpty() && i == lines.length - 1)) {
                    throw new IllegalArgumentException("not a 'set KEY VALUE' or 'delete KEY' line");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return batch;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FastPathBatch)) {
            return false;
        }
        return format().equals(((FastPathBatch) o).format());
    }

    @Override
    public int hashCode() {
        return format().hashCode();
    }

    @Override
    public String toString() {
        return format();
    }

    /** Lower-case hex, both ways (Java 11 has no HexFormat). */
    static final class Hex {
        private Hex() {
        }

        static String of(byte[] bytes) {
            char[] out = new char[bytes.length * 2];
            for (int i = 0; i < bytes.length; i++) {
                out[2 * i] = Character.forDigit((bytes[i] >> 4) & 0xF, 16);
                out[2 * i + 1] = Character.forDigit(bytes[i] & 0xF, 16);
            }
            return new String(out);
        }

        static byte[] parse(String hex) {
            if (hex.length() % 2 != 0) {
                throw new IllegalArgumentException("odd-length hex");
            }
            byte[] out = new byte[hex.length() / 2];
            for (int i = 0; i < out.length; i++) {
                int hi = Character.digit(hex.charAt(2 * i), 16);
                int lo = Character.digit(hex.charAt(2 * i + 1), 16);
                if (hi < 0 || lo < 0 || Character.isUpperCase(hex.charAt(2 * i)) || Character.isUpperCase(hex.charAt(2 * i + 1))) {
                    throw new IllegalArgumentException("not lower-case hex: " + hex);
                }
                out[i] = (byte) (hi << 4 | lo);
            }
            return out;
        }
    }
}
