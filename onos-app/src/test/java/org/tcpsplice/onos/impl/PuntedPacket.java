package org.tcpsplice.onos.impl;

import java.nio.ByteBuffer;
import java.util.List;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.PortNumber;
import org.onosproject.net.packet.DefaultInboundPacket;
import org.onosproject.net.packet.InboundPacket;
import org.onosproject.net.packet.PacketContextAdapter;

/**
 * A packet context around one frame punted from the fixture's device (a PacketContextAdapter fake):
 * records whether it was blocked, and what {@link #send} sent (the instructions) as ONOS's OpenFlow
 * packet context would, only if nothing blocked it before.
 */
public final class PuntedPacket extends PacketContextAdapter {
    private final InboundPacket in;
    public boolean blocked;
    /** The instructions of the packet sent on as it arrived, or null. */
    public List<?> sent;

    public PuntedPacket(byte[] frame) {
        this(frame, 1);
    }

    public PuntedPacket(byte[] frame, int inPort) {
        super(0, null, null, false);
        in = new DefaultInboundPacket(new ConnectPoint(ManagerFixture.EDGE, PortNumber.portNumber(inPort)), null,
                ByteBuffer.wrap(frame));
    }

    @Override
    public InboundPacket inPacket() {
        return in;
    }

    @Override
    public boolean block() {
        boolean wasBlocked = blocked;
        blocked = true;
        return wasBlocked;
    }

    @Override
    public boolean isHandled() {
        return blocked;
    }

    @Override
    public void send() {
        if (!block()) {
            sent = treatmentBuilder().build().allInstructions();
        }
    }
}
