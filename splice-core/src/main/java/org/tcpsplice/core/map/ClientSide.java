package org.tcpsplice.core.map;

import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.DataPathAddresses;
import org.tcpsplice.core.net.FourTuple;

/**
 * The client's original connection c1 at the handoff point, in the client's own numbering.
 *
 * <p>For a first handoff this is the node's socket as reported. For a later one (B hands on the
 * connection A gave it) B reports its end of c2; mapping those numbers through B's reverse entry
 * (254) yields c1's numbers, so that every hop's entries are computed by the same formulas.
 */
final class ClientSide {
    /** c1 from the server end: server (node or VIP) to client. */
    final FourTuple serverToClient;
    /** Next seq the server end sends, in the client's ack space (Fig. 2: 5000, then 10000). */
    final int serverSndNxt;
    /** Next seq expected from the client (Fig. 2: 4000, then 9000). */
    final int serverRcvNxt;
    /** The server end's TS clock as the client sees it, and the client's last TSval, raw. */
    final int serverTsClock;
    final int clientTsRecent;
    final int clientWindowShift;
    final int serverWindowShift;
    final boolean timestamps;
    final int clientMss;
    final long clientMac;
    final int clientSwitchPort;
    final long serverMac;

    private ClientSide(FourTuple serverToClient, int serverSndNxt, int serverRcvNxt, int serverTsClock,
                       int clientTsRecent, int clientWindowShift, int serverWindowShift, boolean timestamps,
                       int clientMss, long clientMac, int clientSwitchPort, long serverMac) {
        this.serverToClient = serverToClient;
        this.serverSndNxt = serverSndNxt;
        this.serverRcvNxt = serverRcvNxt;
        this.serverTsClock = serverTsClock;
        this.clientTsRecent = clientTsRecent;
        this.clientWindowShift = clientWindowShift;
        this.serverWindowShift = serverWindowShift;
        this.timestamps = timestamps;
        this.clientMss = clientMss;
        this.clientMac = clientMac;
        this.clientSwitchPort = clientSwitchPort;
        this.serverMac = serverMac;
    }

    FourTuple clientKey() {
        return serverToClient.reversed();
    }

    /** The node holds c1 itself (first handoff of this connection). */
    static ClientSide direct(ConnectionSnapshot c1, DataPathAddresses path) {
        return new ClientSide(c1.tuple, c1.sndNxt, c1.rcvNxt, c1.localTsClock, c1.peerTsRecent,
                c1.options.peerWindowShift, c1.options.localWindowShift, c1.options.timestamps,
                c1.options.peerMss, path.clientMac, path.clientSwitchPort, path.serverMac);
    }

    /**
     * The node holds a spliced c2: {@code reverse} is its level-2 entry back to the client (254) and
     * {@code forward} any forward entry of the same splice (it carries the client's window shift).
     */
    static ClientSide through(Level2Entry reverse, Level2Entry forward, ConnectionSnapshot c2) {
        return new ClientSide(reverse.rewrittenTuple(),
                c2.sndNxt + reverse.seqDelta, c2.rcvNxt + reverse.ackDelta,
                c2.localTsClock + reverse.tsvalDelta, c2.peerTsRecent + reverse.tsecrDelta,
                forward.windowShiftFrom, reverse.windowShiftTo, c2.options.timestamps,
                c2.options.peerMss, reverse.newDstMac(), reverse.outPort, reverse.newSrcMac());
    }
}
