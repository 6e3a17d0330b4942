package org.tcpsplice.contract;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.tcpsplice.core.testing.Hex;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.tcpsplice.core.rules.RuleCompiler;

/**
 * A fake OpenFlow 1.3 switch on a real TCP connection to the standalone controller: it completes the
 * handshake, answers echoes and barriers, keeps a flow table from the flow-mods it receives (adds and
 * strict deletes, as OVS applies them), counts packet-outs, and can send packet-ins. It forwards no
 * packets. Used where the contract test needs the controller's barrier confirmed without OVS.
 */
final class FakeOpenFlowSwitch implements AutoCloseable {
    private static final OFFactory OF = OFFactories.getFactory(OFVersion.OF_13);

    private final Socket socket;
    private final OutputStream out;
    private final Thread reader;
    /** Splice flows by priority and match (what identifies an OpenFlow flow), in {@link RuleText}'s form. */
    private final Map<String, String> flows = new LinkedHashMap<>();
    private final CountDownLatch firstBarrier = new CountDownLatch(1);
    private int packetOuts;
    /** Every packet-out as "PORT HEX" (PORT: a number, NORMAL, or the packet-in's port for IN_PORT). */
    private final List<String> sent = new ArrayList<>();
    private boolean confirmBarriers = true;

    FakeOpenFlowSwitch(InetSocketAddress controller) throws IOException {
        socket = new Socket(controller.getAddress(), controller.getPort());
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        send(OF.buildHello().setXid(0).build());
        reader = new Thread(this::readLoop, "fake-switch");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits for the controller's first barrier: its standing flows are then in the table. */
    void awaitReady() throws InterruptedException {
        if (!firstBarrier.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the controller never completed the handshake with the fake switch");
        }
    }

    /** Whether barriers are answered; a switch that stops answering makes the controller time out. */
    synchronized void confirmBarriers(boolean confirm) {
        confirmBarriers = confirm;
    }

    /** Punts a frame to the controller as OVS would (whole packet, table miss). */
    synchronized void packetIn(byte[] frame, int inPort) throws IOException {
        send(OF.buildPacketIn().setXid(0).setBufferId(OFBufferId.NO_BUFFER).setTotalLen(frame.length)
                .setReason(OFPacketInReason.NO_MATCH).setTableId(TableId.of(0))
                .setMatch(OF.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build()).setData(frame).build());
    }

    /** Waits until the controller has sent this many packet-outs in all. */
    void awaitPacketOuts(int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        synchronized (this) {
            while (packetOuts < count) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " packet-outs, saw " + packetOuts);
                }
                wait(left);
            }
        }
    }

    /** The packet-outs so far, in order (see {@link #sent}). */
    synchronized List<String> packetOuts() {
        return new ArrayList<>(sent);
    }

    private static String describe(OFPacketOut po) {
        StringBuilder ports = new StringBuilder();
        for (OFAction a : po.getActions()) {
            if (a instanceof OFActionOutput) {
                OFPort p = ((OFActionOutput) a).getPort();
                ports.append(p.equals(OFPort.NORMAL) ? "NORMAL" : p.equals(OFPort.IN_PORT)
                        ? String.valueOf(po.getInPort().getPortNumber()) : String.valueOf(p.getPortNumber()));
            }
        }
        return ports + " " + Hex.of(po.getData());
    }

    /** The splice rules in the table now. */
    synchronized Set<String> spliceRules() {
        return new TreeSet<>(flows.values());
    }

    private void readLoop() {
        try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
            while (true) {
                byte[] header = new byte[8];
                in.readFully(header);
                int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
                byte[] message = new byte[length];
                System.arraycopy(header, 0, message, 0, 8);
                in.readFully(message, 8, length - 8);
                OFMessage m = OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(message));
                if (m != null) {
                    handle(m);
                }
            }
        } catch (Exception e) {
            // Closed by the test or by the controller: the switch is gone.
        }
    }

    private synchronized void handle(OFMessage m) throws IOException {
        switch (m.getType()) {
            case FEATURES_REQUEST:
                send(OF.buildFeaturesReply().setXid(m.getXid()).setDatapathId(DatapathId.of(1)).setNBuffers(0)
                        .setNTables((short) 1).build());
                break;
            case ECHO_REQUEST:
                send(OF.buildEchoReply().setXid(m.getXid()).build());
                break;
            case BARRIER_REQUEST:
                if (!confirmBarriers) {
                    break;
                }
                send(OF.buildBarrierReply().setXid(m.getXid()).build());
                firstBarrier.countDown();
                break;
            case FLOW_MOD:
                apply((OFFlowMod) m);
                break;
            case PACKET_OUT:
                sent.add(describe((OFPacketOut) m));
                packetOuts++;
                notifyAll();
                break;
            default:
                break;
        }
    }

    /** Models the splice rules only; the controller's own pipeline flows are not compared. */
    private void apply(OFFlowMod f) {
        if (f.getPriority() != RuleCompiler.PUNT_PRIORITY) {
            return;
        }
        String rule = RuleText.of(f);
        String key = rule.substring(0, rule.lastIndexOf(" out="));
        switch (f.getCommand()) {
            case ADD:
                flows.put(key, rule);
                break;
            case DELETE_STRICT:
                flows.remove(key);
                break;
            default:
                throw new AssertionError("the fake switch does not model " + f.getCommand());
        }
    }

    private void send(OFMessage m) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        m.writeTo(buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
