package org.tcpsplice.controller.openflow;

import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFPacketIn;

/** What the controller's logic hears from the switch connection. Called on the switch's I/O thread. */
public interface SwitchListener {
    /** Handshake done: features known, packet-ins configured. (Re)install everything here. */
    void switchReady(SwitchSession session);

    void packetIn(SwitchSession session, OFPacketIn packetIn);

    default void flowRemoved(SwitchSession session, OFFlowRemoved removed) {
    }

    default void switchGone(SwitchSession session) {
    }
}
