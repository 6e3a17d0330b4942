package org.tcpsplice.core.engine;

/**
 * One packet the switch sent to the controller, and the ways out of it: the adapter's translation to
 * an OpenFlow packet-out or ONOS's packet service.
 */
public interface PacketIn {
    /** The switch port it arrived on. */
    int inPort();

    /** Sends this frame out of the given switch port. */
    void output(byte[] frame, int port);

    /** Sends this frame back out of the port the packet arrived on (an ARP reply). */
    void reply(byte[] frame);

    /** Lets the switch forward this frame as it forwards everything else (NORMAL). */
    void forwardNormally(byte[] frame);
}
