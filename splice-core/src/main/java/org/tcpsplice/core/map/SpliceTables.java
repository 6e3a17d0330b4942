package org.tcpsplice.core.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import org.tcpsplice.core.net.FourTuple;

/**
 * The switch's mapping data (patent Fig. 2 and Fig. 8, maps 816/818): the level-1 map and the
 * level-2 tables it points to, with the locking that lets packets be mapped while handoffs land.
 *
 * <p>A splice is named by its <em>client key</em>: the client-to-server direction of the client's
 * original connection (entry 212). Its other level-1 keys are the reverse keys (214, 216), one per
 * handoff, each the target-to-node direction of a new connection.
 *
 * <p>Lookups are lock-free in the common case (optimistic read, validated); writers serialize.
 */
public final class SpliceTables {
    private final StampedLock lock = new StampedLock();
    private final Level1Map level1;
    private int splices;

    public SpliceTables() {
        this(1024);
    }

    public SpliceTables(int expectedLevel1Keys) {
        this.level1 = new Level1Map(expectedLevel1Keys);
    }

    /** Fig. 5 step 510/530: the level-2 table (its newest entry) for a 4-tuple, or null. */
    public Level2Entry level2Table(int srcIp, int srcPort, int dstIp, int dstPort) {
        long stamp = lock.tryOptimisticRead();
        Level2Entry head = level1.get(srcIp, srcPort, dstIp, dstPort);
        if (lock.validate(stamp)) {
            return head;
        }
        stamp = lock.readLock();
        try {
            return level1.get(srcIp, srcPort, dstIp, dstPort);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    public Level2Entry level2Table(FourTuple key) {
        return level2Table(key.srcIp, key.srcPort, key.dstIp, key.dstPort);
    }

    /** The teardown state kept on a splice's client key (0 when absent). */
    public int closeState(FourTuple clientKey) {
        long stamp = lock.tryOptimisticRead();
        int state = level1.state(clientKey.srcIp, clientKey.srcPort, clientKey.dstIp, clientKey.dstPort);
        if (lock.validate(stamp)) {
            return state;
        }
        stamp = lock.readLock();
        try {
            return level1.state(clientKey.srcIp, clientKey.srcPort, clientKey.dstIp, clientKey.dstPort);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Applies {@code update} to the client key's teardown state; false when the splice is gone. */
    public boolean updateCloseState(FourTuple clientKey, IntUnaryOperator update) {
        long stamp = lock.writeLock();
        try {
            int old = level1.state(clientKey.srcIp, clientKey.srcPort, clientKey.dstIp, clientKey.dstPort);
            return level1.setState(clientKey.srcIp, clientKey.srcPort, clientKey.dstIp, clientKey.dstPort,
                    update.applyAsInt(old));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Number of level-1 entries (client keys plus reverse keys). */
    public int level1Size() {
        long stamp = lock.readLock();
        try {
            return level1.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Number of live splices (client keys). */
    public int spliceCount() {
        long stamp = lock.readLock();
        try {
            return splices;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** A snapshot of every live splice's client key. */
    public List<FourTuple> clientKeys() {
        long stamp = lock.readLock();
        try {
            List<FourTuple> keys = new ArrayList<>(splices);
            Level1Map.Slots s = level1.slots();
            level1.forEachSlot(i -> {
                if (!s.heads[i].towardClient) {
                    keys.add(tupleAt(s, i));
                }
            });
            return keys;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private static FourTuple tupleAt(Level1Map.Slots s, int i) {
        return new FourTuple((int) (s.ips(i) >>> 32), s.ports(i) >>> 16, (int) s.ips(i), s.ports(i) & 0xFFFF);
    }

    /** Every level-1 key of one splice: the client key first, then one reverse key per handoff, oldest first. */
    public List<FourTuple> level1Keys(FourTuple clientKey) {
        Level2Entry head = level2Table(clientKey);
        List<FourTuple> keys = new ArrayList<>();
        if (head == null || head.towardClient) {
            return keys;
        }
        for (Level2Entry e = head; e != null; e = e.older) {
            keys.add(0, e.rewrittenTuple().reversed());
        }
        keys.add(0, clientKey);
        return keys;
    }

    /**
     * Every 4-tuple a splice owns, in a fixed order: the client key and the first node's let-go end of
     * c1 (its reverse), then per handoff, oldest first, the handing-off node's let-go end of the new
     * connection and the target's replies (a reverse key). None of them may pass the switch unmapped:
     * the slow path punts each with a rule, the fast path holds each in its map. Empty for no splice.
     */
    public List<FourTuple> tuplesOf(FourTuple clientKey) {
        List<FourTuple> tuples = new ArrayList<>();
        for (FourTuple key : level1Keys(clientKey)) {
            // Each level-1 key with its other direction: the client key's is c1's let-go end, a reverse
            // key's is the handing-off node's end of the new connection (listed first).
            boolean client = key.equals(clientKey);
            tuples.add(client ? key : key.reversed());
            tuples.add(client ? key.reversed() : key);
        }
        return tuples;
    }

    /**
     * Whether a splice still maps this connection, in either direction: a node may let go of a held
     * socket once none does (its range compacted away, or its splice ended).
     */
    public boolean maps(FourTuple connection) {
        return level2Table(connection) != null || level2Table(connection.reversed()) != null;
    }

    /** Removes a splice's level-1 entries and level-2 tables (patent Fig. 4 step 410); false if absent. */
    public boolean removeSplice(FourTuple clientKey) {
        return removeSpliceIf(clientKey, state -> true);
    }

    /** Removes the splice if its teardown state, read under the write lock, passes the test. */
    public boolean removeSpliceIf(FourTuple clientKey, IntPredicate closeStateTest) {
        long stamp = lock.writeLock();
        try {
            Level2Entry head = getLocked(clientKey);
            if (head == null || head.towardClient || !closeStateTest.test(
                    level1.state(clientKey.srcIp, clientKey.srcPort, clientKey.dstIp, clientKey.dstPort))) {
                return false;
            }
            return removeLocked(clientKey);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private boolean removeLocked(FourTuple clientKey) {
        Level2Entry head = getLocked(clientKey);
        if (head == null || head.towardClient) {
            return false;
        }
        for (Level2Entry e = head; e != null; e = e.older) {
            FourTuple reverseKey = e.rewrittenTuple().reversed();
            level1.remove(reverseKey.srcIp, reverseKey.srcPort, reverseKey.dstIp, reverseKey.dstPort);
        }
        level1.remove(clientKey.srcIp, clientKey.srcPort, clientKey.dstIp, clientKey.dstPort);
        splices--;
        return true;
    }

    /**
     * Puts a level-2 table back under its level-1 key, as persisted earlier (controller restart,
     * a store replica, test vectors). Entries are taken as they are: they were validated when the
     * handoff was first processed. The key's teardown state starts fresh.
     */
    public void restore(FourTuple key, Level2Entry head) {
        long stamp = lock.writeLock();
        try {
            putLocked(key, head, 0);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * The client key of the splice a node's client-side socket (local to remote) belongs to: the client
     * connection itself, or, for a socket the node was handed, the splice its reverse entry leads to.
     */
    public FourTuple clientKeyOf(FourTuple nodeClientSide) {
        Level2Entry reverse = level2Table(nodeClientSide);
        return reverse != null && reverse.towardClient ? reverse.rewrittenTuple().reversed() : nodeClientSide.reversed();
    }

    /** A splice's level-1 keys and level-2 tables as they are now (empty if there is no such splice). */
    public Map<FourTuple, Level2Entry> capture(FourTuple clientKey) {
        Map<FourTuple, Level2Entry> state = new LinkedHashMap<>();
        for (FourTuple key : level1Keys(clientKey)) {
            state.put(key, level2Table(key));
        }
        return state;
    }

    /** Undoes changes to a splice: removes what it has now and puts back a {@link #capture}. */
    public void putBack(FourTuple clientKey, Map<FourTuple, Level2Entry> captured) {
        long stamp = lock.writeLock();
        try {
            removeLocked(clientKey);
            captured.forEach((key, head) -> putLocked(key, head, 0));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    // ---- for handoff processing, which runs its whole decision under the write lock ----

    <T> T underWriteLock(Supplier<T> work) {
        long stamp = lock.writeLock();
        try {
            return work.get();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    Level2Entry getLocked(FourTuple key) {
        return level1.get(key.srcIp, key.srcPort, key.dstIp, key.dstPort);
    }

    /** Removes one reverse key (an older range's, see HandoffProcessor); never a client key. */
    void removeKeyLocked(FourTuple reverseKey) {
        level1.remove(reverseKey.srcIp, reverseKey.srcPort, reverseKey.dstIp, reverseKey.dstPort);
    }

    void putLocked(FourTuple key, Level2Entry head, int initialCloseState) {
        boolean isNew = level1.get(key.srcIp, key.srcPort, key.dstIp, key.dstPort) == null;
        level1.put(key.srcIp, key.srcPort, key.dstIp, key.dstPort, head, initialCloseState);
        if (isNew && !head.towardClient) {
            splices++;
        }
    }
}
