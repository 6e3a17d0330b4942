package org.tcpsplice.controller.openflow;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected OpenFlow 1.3 switch: the handshake (HELLO, FEATURES_REQUEST, SET_CONFIG asking for
 * whole packets in packet-ins), echo replies, barriers as futures, and error messages logged with
 * the request that caused them.
 */
public final class SwitchSession extends SimpleChannelInboundHandler<OFMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchSession.class);
    /** OFPCML_NO_BUFFER: send the whole packet in packet-ins, never a buffer id. */
    private static final int WHOLE_PACKET = 0xFFFF;
    /** How many recent requests are kept to name the culprit of an error message. */
    private static final int RECENT_REQUESTS = 4096;

    private final OFFactory factory = OFFactories.getFactory(OFVersion.OF_13);
    private final SwitchListener listener;
    private final AtomicLong xids = new AtomicLong(1);
    private final Map<Long, CompletableFuture<Void>> barriers = new ConcurrentHashMap<>();
    private final Map<Long, OFMessage> recent = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, OFMessage> eldest) {
            return size() > RECENT_REQUESTS;
        }
    };
    private volatile Channel channel;
    private volatile DatapathId datapathId;
    private volatile boolean ready;

    SwitchSession(SwitchListener listener) {
        this.listener = listener;
    }

    public OFFactory factory() {
        return factory;
    }

    public DatapathId datapathId() {
        return datapathId;
    }

    public boolean isReady() {
        return ready && channel != null && channel.isActive();
    }

    public long nextXid() {
        return xids.getAndIncrement();
    }

    /** Sends messages (remembering them for error reports) and flushes once. */
    public void send(Collection<? extends OFMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        Channel c = channel;
        if (c == null || !c.isActive()) {
            throw new IllegalStateException("switch is not connected");
        }
        synchronized (recent) {
            for (OFMessage m : messages) {
                recent.put(m.getXid(), m);
            }
        }
        for (OFMessage m : messages) {
            c.write(m);
        }
        c.flush();
    }

    public void send(OFMessage message) {
        send(java.util.List.of(message));
    }

    /** Sends a barrier; the future completes when the switch has processed everything sent before it. */
    public CompletableFuture<Void> barrier() {
        long xid = nextXid();
        CompletableFuture<Void> done = new CompletableFuture<>();
        barriers.put(xid, done);
        try {
            send(factory.buildBarrierRequest().setXid(xid).build());
        } catch (IllegalStateException e) {
            barriers.remove(xid);
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        LOG.info("switch connected from {}", ctx.channel().remoteAddress());
        send(factory.buildHello().setXid(nextXid()).build());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, OFMessage msg) {
        switch (msg.getType()) {
            case HELLO:
                if (msg.getVersion().compareTo(OFVersion.OF_13) < 0) {
                    LOG.error("switch {} speaks only {}; OpenFlow 1.3 is required (ovs-vsctl set bridge BR protocols=OpenFlow13)",
                            ctx.channel().remoteAddress(), ((OFHello) msg).getVersion());
                    ctx.close();
                    return;
                }
                send(factory.buildFeaturesRequest().setXid(nextXid()).build());
                break;
            case FEATURES_REPLY:
                datapathId = ((OFFeaturesReply) msg).getDatapathId();
                send(factory.buildSetConfig().setXid(nextXid()).setFlags(EnumSet.noneOf(
                        org.projectfloodlight.openflow.protocol.OFConfigFlags.class)).setMissSendLen(WHOLE_PACKET).build());
                ready = true;
                LOG.info("switch {} ready (datapath {})", ctx.channel().remoteAddress(), datapathId);
                listener.switchReady(this);
                break;
            case ECHO_REQUEST:
                OFEchoRequest echo = (OFEchoRequest) msg;
                send(factory.buildEchoReply().setXid(echo.getXid()).setData(echo.getData()).build());
                break;
            case ECHO_REPLY:
                LOG.debug("echo reply xid {}", ((OFEchoReply) msg).getXid());
                break;
            case BARRIER_REPLY:
                CompletableFuture<Void> done = barriers.remove(((OFBarrierReply) msg).getXid());
                if (done != null) {
                    done.complete(null);
                }
                break;
            case PACKET_IN:
                listener.packetIn(this, (OFPacketIn) msg);
                break;
            case FLOW_REMOVED:
                listener.flowRemoved(this, (OFFlowRemoved) msg);
                break;
            case ERROR:
                OFMessage culprit;
                synchronized (recent) {
                    culprit = recent.get(msg.getXid());
                }
                LOG.error("switch error {} for request {}", msg, culprit != null ? culprit : "xid " + msg.getXid());
                break;
            default:
                LOG.debug("ignored {}", msg.getType());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            // Nothing heard for a while: ask; a dead switch's connection will fail and close.
            send(factory.buildEchoRequest().setXid(nextXid()).setData(new byte[0]).build());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready = false;
        LOG.warn("switch {} disconnected", ctx.channel().remoteAddress());
        barriers.values().forEach(f -> f.completeExceptionally(new IllegalStateException("switch disconnected")));
        barriers.clear();
        listener.switchGone(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.error("switch connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
