package org.tcpsplice.core.teardown;

import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;

/**
 * A splice removed from the tables: by the sweep (closed and lingered, or idle), or at once when its
 * client opened a new connection on the same four-tuple after it closed. For {@link Cause#IDLE} the
 * controller should close the serving node's end (patent Fig. 4, step 415): {@link #newestEntry}
 * names that node's connection and port.
 */
public final class ExpiredSplice {
    public enum Cause { CLOSED, IDLE, PORT_REUSED }

    public final FourTuple clientKey;
    public final Level2Entry newestEntry;
    public final Cause cause;

    public ExpiredSplice(FourTuple clientKey, Level2Entry newestEntry, Cause cause) {
        this.clientKey = clientKey;
        this.newestEntry = newestEntry;
        this.cause = cause;
    }

    @Override
    public String toString() {
        return clientKey + " " + cause;
    }
}
