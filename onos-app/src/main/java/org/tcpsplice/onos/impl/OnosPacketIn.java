package org.tcpsplice.onos.impl;

import java.nio.ByteBuffer;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.PortNumber;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.TrafficTreatment;
import org.onosproject.net.packet.DefaultOutboundPacket;
import org.onosproject.net.packet.PacketContext;
import org.onosproject.net.packet.PacketService;
import org.tcpsplice.core.engine.PacketIn;

/**
 * A packet-in's ways out through ONOS's packet service. ONOS's OpenFlow packet provider applies only
 * the OUTPUT instructions of an emitted packet's treatment, which is all the engine asks for.
 */
final class OnosPacketIn implements PacketIn {
    private final PacketContext context;
    private final PacketService packets;
    private final ConnectPoint from;
    private final byte[] arrived;

    OnosPacketIn(PacketContext context, PacketService packets, byte[] arrived) {
        this.context = context;
        this.packets = packets;
        this.from = context.inPacket().receivedFrom();
        this.arrived = arrived;
    }

    @Override
    public int inPort() {
        return (int) from.port().toLong();
    }

    @Override
    public void output(byte[] frame, int port) {
        emit(DefaultTrafficTreatment.builder().setOutput(PortNumber.portNumber(port)).build(), frame);
    }

    @Override
    public void reply(byte[] frame) {
        emit(DefaultTrafficTreatment.builder().setOutput(from.port()).build(), frame);
    }

    /**
     * The packet as it arrived goes on from its own in-port (so the switch's MAC learning sees where it
     * came from); a frame the engine changed (the punt tag taken off) is emitted anew.
     */
    @Override
    public void forwardNormally(byte[] frame) {
        if (frame == arrived) {
            context.treatmentBuilder().addTreatment(NodeConnections.forwarding());
            context.send();
        } else {
            emit(NodeConnections.forwarding(), frame);
        }
    }

    private void emit(TrafficTreatment treatment, byte[] frame) {
        packets.emit(new DefaultOutboundPacket(from.deviceId(), treatment, ByteBuffer.wrap(frame)));
    }
}
