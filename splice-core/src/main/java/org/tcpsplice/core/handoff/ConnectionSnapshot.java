package org.tcpsplice.core.handoff;

import org.tcpsplice.core.net.FourTuple;

/**
 * One of the handing-off node's two sockets at the handoff point, with exact numbers read from
 * its kernel (TCP_REPAIR + TCP_QUEUE_SEQ, TCP_TIMESTAMP, TCP_INFO), not guesses.
 */
public final class ConnectionSnapshot {
    /** Local end to remote end, as the node's socket sees it. */
    public final FourTuple tuple;
    /** The next sequence number the node would send (snd_nxt). */
    public final int sndNxt;
    /** The next sequence number the node expects from the peer (rcv_nxt). */
    public final int rcvNxt;
    public final TcpOptions options;
    /** The node's current TSval on this socket (its clock plus this connection's random offset). */
    public final int localTsClock;
    /** The last TSval the node received from the peer (ts_recent). */
    public final int peerTsRecent;

    public ConnectionSnapshot(FourTuple tuple, int sndNxt, int rcvNxt, TcpOptions options,
                              int localTsClock, int peerTsRecent) {
        this.tuple = tuple;
        this.sndNxt = sndNxt;
        this.rcvNxt = rcvNxt;
        this.options = options;
        this.localTsClock = localTsClock;
        this.peerTsRecent = peerTsRecent;
    }

    /** Null when sane, else what is wrong; {@code which} names the connection, {@code field} its JSON path. */
    String problem(String which, String field) {
        if (tuple == null) {
            return which + ": 4-tuple missing";
        }
        if (tuple.srcPort == 0 || tuple.dstPort == 0) {
            return which + ": port 0 is not a connection";
        }
        if (options == null) {
            return which + ": negotiated options missing";
        }
        return options.problem(which, field + ".options");
    }
}
