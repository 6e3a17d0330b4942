package org.tcpsplice.core.teardown;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.TcpFlags;

/**
 * Follows each splice through FIN/RST and idleness, and decides when its entries go
 * (patent Fig. 3, connection cleanup 380, and Fig. 4, the TCP_WAIT branch 405-410).
 */
public final class TeardownTracker {
    private final SpliceTables tables;
    private volatile TeardownPolicy policy;
    private final LongSupplier clockMillis;
    private final long startMillis;

    public TeardownTracker(SpliceTables tables, TeardownPolicy policy, LongSupplier clockMillis) {
        this.tables = tables;
        this.policy = policy;
        this.clockMillis = clockMillis;
        this.startMillis = clockMillis.getAsLong();
    }

    public TeardownPolicy policy() {
        return policy;
    }

    /** From the next sweep on (a controller's configuration changed); splices keep their state. */
    public void setPolicy(TeardownPolicy next) {
        policy = next;
    }

    /** Seconds since this tracker started; at least 1, since 0 marks a splice not yet seen. */
    int nowSecond() {
        long s = (clockMillis.getAsLong() - startMillis) / 1000 + 1;
        return (int) Math.min(s, CloseState.MAX_SECOND);
    }

    /**
     * Records a packet mapped through a splice. Takes the tables' write lock only when the state
     * changes: at most once a second per splice, plus once per FIN/RST.
     */
    public void onPacket(FourTuple clientKey, boolean fromClient, int tcpFlags) {
        int now = nowSecond();
        int addFlags = 0;
        if ((tcpFlags & TcpFlags.RST) != 0) {
            addFlags |= CloseState.RESET;
        }
        if ((tcpFlags & TcpFlags.FIN) != 0) {
            addFlags |= fromClient ? CloseState.FIN_FROM_CLIENT : CloseState.FIN_FROM_NODE;
        }
        int old = tables.closeState(clientKey);
        if (CloseState.lastActivitySecond(old) == now && (CloseState.flags(old) | addFlags) == CloseState.flags(old)) {
            return;
        }
        int flags = addFlags;
        tables.updateCloseState(clientKey, s -> CloseState.of(now, CloseState.flags(s) | flags));
    }

    /**
     * Ends a closed splice at once, inside its linger: its client sent a SYN on the same four-tuple,
     * so nothing more of the old connection will come from it (a client whose peer closed first keeps
     * no TIME_WAIT and may use the port again within seconds). Null, and nothing changed, if the
     * splice is not closed: a SYN on a live splice's tuple stays dropped.
     */
    public ExpiredSplice endClosedOnNewSyn(FourTuple clientKey) {
        Level2Entry newest = tables.level2Table(clientKey);
        if (newest != null && !newest.towardClient && tables.removeSpliceIf(clientKey, CloseState::closed)) {
            return new ExpiredSplice(clientKey, newest, ExpiredSplice.Cause.PORT_REUSED);
        }
        return null;
    }

    /**
     * Removes every splice that is closed and has lingered, or has been idle for the TCP_WAIT timeout.
     * A splice that looks idle here but that {@code activeElsewhere} says carried packets within the
     * timeout (a fast path translated them without this tracker seeing them) is kept, its idle time
     * starting again now.
     */
    public List<ExpiredSplice> sweep(Predicate<FourTuple> activeElsewhere) {
        int now = nowSecond();
        TeardownPolicy p = policy; // one policy for the whole sweep
        List<ExpiredSplice> expired = new ArrayList<>();
        for (FourTuple clientKey : tables.clientKeys()) {
            int state = tables.closeState(clientKey);
            if (CloseState.lastActivitySecond(state) == 0) {
                // Installed since the last sweep and not yet used: its idle time starts now.
                tables.updateCloseState(clientKey, s -> CloseState.lastActivitySecond(s) == 0
                        ? CloseState.of(now, CloseState.flags(s)) : s);
                continue;
            }
            ExpiredSplice.Cause cause = p.removable(state, now);
            if (cause == null) {
                continue;
            }
            if (cause == ExpiredSplice.Cause.IDLE && activeElsewhere.test(clientKey)) {
                tables.updateCloseState(clientKey, s -> CloseState.of(now, CloseState.flags(s)));
                continue;
            }
            Level2Entry newest = tables.level2Table(clientKey);
            // Re-checked under the write lock: a packet may have arrived since the state was read.
            if (newest != null && tables.removeSpliceIf(clientKey, s -> p.removable(s, now) == cause)) {
                expired.add(new ExpiredSplice(clientKey, newest, cause));
            }
        }
        return expired;
    }
}
