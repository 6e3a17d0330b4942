package org.tcpsplice.core.map;

import java.util.function.IntConsumer;
import org.tcpsplice.core.net.Level1Hash;

/**
 * The patent's level-1 mapping table (Fig. 2, table 200): 4-tuple to level-2 table (the newest
 * {@link Level2Entry}), plus one int of per-key state (teardown bookkeeping of the splice).
 *
 * <p>An open-addressing table with linear probing and primitive keys, so that a million live
 * splices cost no per-key objects. A slot is two adjacent longs (both IPs; both ports and the
 * state), so a key comparison touches one cache line, plus one reference to the level-2 table.
 *
 * <p>Concurrency: not locked itself. One writer at a time (the caller holds a write lock);
 * readers may run concurrently in optimistic mode and must validate afterwards
 * (see {@link SpliceTables}). A reader racing a writer may see a torn slot or a stale array,
 * never an exception: each array set is replaced as a whole ({@link Slots}) and probes are bounded.
 */
final class Level1Map {
    private static final int MIN_CAPACITY = 16;

    /** All arrays of one capacity, swapped as one reference on resize. */
    static final class Slots {
        /** Slot i: keys[2i] = srcIp:dstIp, keys[2i+1] = srcPort:dstPort (high 32 bits) and state (low 32). */
        final long[] keys;
        final Level2Entry[] heads;
        final int mask;

        Slots(int capacity) {
            keys = new long[2 * capacity];
            heads = new Level2Entry[capacity];
            mask = capacity - 1;
        }

        long ips(int i) {
            return keys[2 * i];
        }

        int ports(int i) {
            return (int) (keys[2 * i + 1] >>> 32);
        }

        int state(int i) {
            return (int) keys[2 * i + 1];
        }

        void set(int i, long ipKey, int portKey, int state) {
            keys[2 * i] = ipKey;
            keys[2 * i + 1] = ((long) portKey << 32) | (state & 0xFFFF_FFFFL);
        }

        void setState(int i, int state) {
            keys[2 * i + 1] = (keys[2 * i + 1] & 0xFFFF_FFFF_0000_0000L) | (state & 0xFFFF_FFFFL);
        }
    }

    private Slots slots;
    private int size;

    Level1Map(int expectedKeys) {
        int capacity = MIN_CAPACITY;
        while (capacity * 3 / 4 < expectedKeys) {
            capacity <<= 1;
        }
        slots = new Slots(capacity);
    }

    static long ips(int srcIp, int dstIp) {
        return ((long) srcIp << 32) | (dstIp & 0xFFFF_FFFFL);
    }

    static int ports(int srcPort, int dstPort) {
        return (srcPort << 16) | (dstPort & 0xFFFF);
    }

    int size() {
        return size;
    }

    private static int find(Slots s, int srcIp, int srcPort, int dstIp, int dstPort) {
        return find(s, ips(srcIp, dstIp), ports(srcPort, dstPort), Level1Hash.of(srcIp, srcPort, dstIp, dstPort));
    }

    private static int find(Slots s, long ipKey, int portKey, int hash) {
        int i = hash & s.mask;
        for (int probes = 0; probes <= s.mask; probes++) {
            if (s.heads[i] == null) {
                return -1;
            }
            if (s.ips(i) == ipKey && s.ports(i) == portKey) {
                return i;
            }
            i = (i + 1) & s.mask;
        }
        return -1;
    }

    Level2Entry get(int srcIp, int srcPort, int dstIp, int dstPort) {
        Slots s = slots;
        int i = find(s, srcIp, srcPort, dstIp, dstPort);
        return i < 0 ? null : s.heads[i];
    }

    int state(int srcIp, int srcPort, int dstIp, int dstPort) {
        Slots s = slots;
        int i = find(s, srcIp, srcPort, dstIp, dstPort);
        return i < 0 ? 0 : s.state(i);
    }

    /** Sets the state of an existing key; false when the key is absent. */
    boolean setState(int srcIp, int srcPort, int dstIp, int dstPort, int value) {
        Slots s = slots;
        int i = find(s, srcIp, srcPort, dstIp, dstPort);
        if (i < 0) {
            return false;
        }
        s.setState(i, value);
        return true;
    }

    /** Inserts or replaces the key's level-2 table; a new key starts with the given state. */
    void put(int srcIp, int srcPort, int dstIp, int dstPort, Level2Entry head, int initialState) {
        if (head == null) {
            throw new IllegalArgumentException("a level-1 entry needs a level-2 table");
        }
        long ipKey = ips(srcIp, dstIp);
        int portKey = ports(srcPort, dstPort);
        int hash = Level1Hash.of(srcIp, srcPort, dstIp, dstPort);
        Slots s = slots;
        int i = find(s, ipKey, portKey, hash);
        if (i >= 0) {
            s.heads[i] = head;
            return;
        }
        if ((size + 1) > (s.heads.length >> 2) * 3) {
            s = resize(s.heads.length << 1);
        }
        insert(s, ipKey, portKey, hash, head, initialState);
        size++;
    }

    private static void insert(Slots s, long ipKey, int portKey, int hash, Level2Entry head, int state) {
        int i = hash & s.mask;
        while (s.heads[i] != null) {
            i = (i + 1) & s.mask;
        }
        s.set(i, ipKey, portKey, state);
        s.heads[i] = head; // written last: a slot is live once its head is set
    }

    private Slots resize(int capacity) {
        Slots old = slots;
        Slots grown = new Slots(capacity);
        for (int i = 0; i < old.heads.length; i++) {
            if (old.heads[i] != null) {
                insert(grown, old.ips(i), old.ports(i), hashOf(old.ips(i), old.ports(i)), old.heads[i], old.state(i));
            }
        }
        slots = grown;
        return grown;
    }

    private static int hashOf(long ipKey, int portKey) {
        return Level1Hash.of((int) (ipKey >>> 32), portKey >>> 16, (int) ipKey, portKey & 0xFFFF);
    }

    /** Removes the key; backward-shift deletion keeps probe chains intact without tombstones. */
    boolean remove(int srcIp, int srcPort, int dstIp, int dstPort) {
        Slots s = slots;
        int hole = find(s, srcIp, srcPort, dstIp, dstPort);
        if (hole < 0) {
            return false;
        }
        s.heads[hole] = null;
        int i = (hole + 1) & s.mask;
        while (s.heads[i] != null) {
            int home = hashOf(s.ips(i), s.ports(i)) & s.mask;
            // Move slot i into the hole if its home position does not lie cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                s.set(hole, s.ips(i), s.ports(i), s.state(i));
                s.heads[hole] = s.heads[i];
                s.heads[i] = null;
                hole = i;
            }
            i = (i + 1) & s.mask;
        }
        size--;
        return true;
    }

    /** Calls back with each occupied slot index of the current arrays (caller holds a lock). */
    void forEachSlot(IntConsumer action) {
        Slots s = slots;
        for (int i = 0; i < s.heads.length; i++) {
            if (s.heads[i] != null) {
                action.accept(i);
            }
        }
    }

    Slots slots() {
        return slots;
    }
}
