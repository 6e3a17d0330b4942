package org.tcpsplice.core.handoff;

/**
 * What the switch needs besides the node's numbers, resolved by the controller from its host
 * table: MACs and switch ports. The client-side fields are read only for a connection's first
 * handoff; later handoffs take them from the splice.
 */
public final class DataPathAddresses {
    /** The handing-off node's MAC: source of client packets rewritten into the new connection. */
    public final long requesterMac;
    public final long targetMac;
    public final int targetSwitchPort;
    public final long clientMac;
    public final int clientSwitchPort;
    /** The MAC the client knows as its server end of c1 (the original node, or the VIP's MAC). */
    public final long serverMac;

    public DataPathAddresses(long requesterMac, long targetMac, int targetSwitchPort,
                             long clientMac, int clientSwitchPort, long serverMac) {
        this.requesterMac = requesterMac;
        this.targetMac = targetMac;
        this.targetSwitchPort = targetSwitchPort;
        this.clientMac = clientMac;
        this.clientSwitchPort = clientSwitchPort;
        this.serverMac = serverMac;
    }
}
