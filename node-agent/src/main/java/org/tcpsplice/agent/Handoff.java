package org.tcpsplice.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.tcpsplice.core.net.Ipv4;

/**
 * Patent Fig. 6, steps 660-690, in the order that survives a real network (docs/handoff-race.md): open c2 with c1's MSS, read both sockets' exact numbers, report c2's position *after* the
 * request it has not sent yet, and send the request only once the switch has confirmed the splice.
 */
final class Handoff {
    private static final Logger LOG = Logger.getLogger(Handoff.class.getName());
    /**
     * TS anchors are lower bounds taken early; 10 s of margin (at 1 kHz) puts translated TSvals safely
     * ahead of what each receiver has seen, which PAWS accepts. TSecr is translated back exactly.
     */
    private static final int TS_MARGIN = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final C2Silencer SILENCER = new C2Silencer();

    private final AgentConfig config;
    private final ControllerClient controller;
    /** Where on the target node c2 goes: its agent (the service port) or its web server. */
    private final int targetPort;
    /** Where on another node a relayed request goes. */
    private final int relayPort;
    /** The targets' SYN-ACKs, for their timestamp anchors; null if the packet socket could not be opened. */
    private final SynAckWatch synAcks;

    Handoff(AgentConfig config, ControllerClient controller, int targetPort, int relayPort, SynAckWatch synAcks) {
        this.config = config;
        this.controller = controller;
        this.targetPort = targetPort;
        this.relayPort = relayPort;
        this.synAcks = synAcks;
    }

    /**
     * What happened: spliced (c1 and c2 are silent and must be held), or not, with c2 open for a fallback
     * relay and, in {@link #heldBack}, what c1 had received past the request (the caller reads it next).
     */
    static final class Result {
        final boolean spliced;
        final String spliceId;
        final SocketChannel c2;
        final String why;
        final byte[] heldBack;
        /** Spliced: completes once c2 is silent (the target acknowledged the request, or at the latest). */
        final CompletableFuture<Void> c2Silent;

        Result(boolean spliced, String spliceId, SocketChannel c2, String why) {
            this(spliced, spliceId, c2, why, new byte[0], null);
        }

        Result(boolean spliced, String spliceId, SocketChannel c2, String why, byte[] heldBack,
               CompletableFuture<Void> c2Silent) {
            this.spliced = spliced;
            this.spliceId = spliceId;
            this.c2 = c2;
            this.why = why;
            this.heldBack = heldBack;
            this.c2Silent = c2Silent;
        }
    }

    /**
     * Hands c1 to the target node. {@code forward}: every byte read from c1 from the start of the
     * request on (the request and anything pipelined after it). {@code clientSynTsval}: the client's
     * TSval from its SYN, or -1.
     */
    Result perform(SocketChannel c1, long clientSynTsval, String targetId, byte[] forward) throws IOException {
        long t0 = System.nanoTime();
        int target = Ipv4.parse(config.nodes.get(targetId));
        int fd1 = LinuxTcp.fd(c1);
        if (!drained(fd1)) {
            return notSpliced(connect(targetId, target), "the client has not acknowledged all of this node's data");
        }
        // The ACK of the request, which the kernel delays to ride on the response, leaves now, from
        // this node: once c1 is silenced its delayed-ACK timer would still send it, 40 ms into the
        // target's response, with this node's window and timestamp (the client dropped it by PAWS).
        LinuxTcp.acknowledgeNow(fd1);
        LinuxTcp.Info info1 = LinuxTcp.info(fd1);
        SocketChannel c2 = SocketChannel.open();
        c2.bind(new InetSocketAddress(config.nodeIp, 0)); // the port is c2's from here: the SYN-ACK's key
        LinuxTcp.setMaxSegment(LinuxTcp.fd(c2), info1.mssOption()); // c2 carries c1's MSS (patent Fig. 3)
        SynAckWatch.Expected synAck = synAcks == null ? null
                : synAcks.expect(target, targetPort, ((InetSocketAddress) c2.getLocalAddress()).getPort());
        try {
            connectTo(c2, targetId, target, targetPort);
        } catch (IOException e) {
            if (synAck != null) {
                synAck.forget();
            }
            throw e;
        }
        long peerSynAck = synAck == null ? -1 : synAck.tsval(500);
        long tConnected = System.nanoTime();
        int fd2 = LinuxTcp.fd(c2);
        LinuxTcp.Info info2 = LinuxTcp.info(fd2);
        if (info1.timestamps && (clientSynTsval < 0 || peerSynAck < 0)) {
            return notSpliced(c2, "no timestamp anchor (client SYN " + clientSynTsval + ", target SYN-ACK " + peerSynAck + ")");
        }
        // No byte the client sends may be lost (pipelining clients send on during the handoff). From here
        // c1 takes in nothing more: the client sends it again later, into the splice if it goes live, to
        // this node if not. What the kernel took already (acknowledged, not yet read) goes with the request.
        LinuxTcp.refuseSegments(fd1);
        byte[] heldBack = new byte[0];
        int[] seq1;
        while (true) {
            heldBack = concat(heldBack, readUnread(c1, fd1));
            seq1 = LinuxTcp.sequenceNumbers(fd1);
            if (LinuxTcp.unread(fd1) == 0) { // else a segment got past the filter before it was attached
                break;
            }
        }
        Result spliced = spliceAt(c1, fd1, c2, fd2, seq1, concat(forward, heldBack), info1, info2, clientSynTsval,
                peerSynAck, t0, tConnected);
        if (!spliced.spliced) {
            LinuxTcp.acceptSegments(fd1);
            return new Result(false, null, c2, spliced.why, heldBack, null);
        }
        return spliced;
    }

    /** With c1 refusing segments at {@code seq1}: the POST, and once the splice is live, c2's request. */
    private Result spliceAt(SocketChannel c1, int fd1, SocketChannel c2, int fd2, int[] seq1, byte[] forward,
                            LinuxTcp.Info info1, LinuxTcp.Info info2, long clientSynTsval, long peerSynAck, long t0,
                            long tConnected) throws IOException {
        int[] seq2 = LinuxTcp.sequenceNumbers(fd2);
        ObjectNode body = JSON.createObjectNode();
        body.set("clientSide", connection((InetSocketAddress) c1.getLocalAddress(), (InetSocketAddress) c1.getRemoteAddress(),
                seq1[0], seq1[1], info1, 0, LinuxTcp.timestampClock(fd1), clientSynTsval - TS_MARGIN));
        body.set("newConnection", connection((InetSocketAddress) c2.getLocalAddress(), (InetSocketAddress) c2.getRemoteAddress(),
                seq2[0] + forward.length, seq2[1], info2, info1.mssOption(), LinuxTcp.timestampClock(fd2), peerSynAck - TS_MARGIN));
        ControllerClient.Reply reply;
        long tPost = System.nanoTime();
        try {
            reply = controller.post("handoffs", JSON.writeValueAsString(body));
        } catch (IOException e) {
            return notSpliced(c2, "controller unreachable: " + e.getMessage());
        }
        if (reply.status != 200 && reply.status != 201) {
            return notSpliced(c2, "controller refused (" + reply.status + "): " + reply.body);
        }
        long tConfirmed = System.nanoTime();
        LOG.fine(() -> String.format("handoff phases: drain+connect+capture %.1f ms, numbers %.1f ms, POST %.1f ms",
                (tConnected - t0) / 1e6, (tPost - tConnected) / 1e6, (tConfirmed - tPost) / 1e6));
        // The splice is live: now the request may reach the target, and the client's end goes quiet.
        LinuxTcp.silence(fd1);
        ByteBuffer request = ByteBuffer.wrap(forward);
        while (request.hasRemaining()) {
            c2.write(request);
        }
        // Until this completes c2 must stay open: closed, its fd number could name another socket here.
        CompletableFuture<Void> c2Silent = SILENCER.silenceWhenAcknowledged(fd2);
        return new Result(true, JSON.readTree(reply.body).path("id").asText(), c2, "spliced", new byte[0], c2Silent);
    }

    /** Everything received on c (socket fd) that has not been read, read now; empty if none. */
    private static byte[] readUnread(SocketChannel c, int fd) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(LinuxTcp.unread(fd));
        while (b.hasRemaining() && c.read(b) >= 0) {
            // the bytes are in the kernel already: each read returns some
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b.length == 0) {
            return a;
        }
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static boolean drained(int fd) throws IOException {
        long deadline = System.currentTimeMillis() + 2000;
        while (LinuxTcp.unacknowledged(fd) > 0) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** A connection to the target node's relay port, for relaying instead of handing off. */
    SocketChannel plainConnection(String targetId) throws IOException {
        return connect(targetId, Ipv4.parse(config.nodes.get(targetId)), relayPort);
    }

    /** A plain connection to where c2 would go, for relaying when no handoff can happen. */
    private SocketChannel connect(String targetId, int target) throws IOException {
        return connect(targetId, target, targetPort);
    }

    private SocketChannel connect(String targetId, int target, int port) throws IOException {
        SocketChannel c = SocketChannel.open();
        c.bind(new InetSocketAddress(config.nodeIp, 0));
        connectTo(c, targetId, target, port);
        return c;
    }

    private static void connectTo(SocketChannel c, String targetId, int target, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(Ipv4.format(target), port);
        try {
            c.connect(address);
        } catch (IOException e) {
            c.close();
            throw new Unreachable("node " + targetId, address, e);
        }
    }

    private static Result notSpliced(SocketChannel c2, String why) {
        return new Result(false, null, c2, why);
    }

    private static ObjectNode connection(InetSocketAddress local, InetSocketAddress remote, int sndNxt, int rcvNxt,
                                         LinuxTcp.Info info, int localMss, int tsClock, long peerTsRecent) {
        ObjectNode c = JSON.createObjectNode();
        c.put("local", local.getAddress().getHostAddress() + ":" + local.getPort());
        c.put("remote", remote.getAddress().getHostAddress() + ":" + remote.getPort());
        c.put("sndNxt", Integer.toUnsignedLong(sndNxt));
        c.put("rcvNxt", Integer.toUnsignedLong(rcvNxt));
        ObjectNode o = c.putObject("options");
        o.put("peerMss", info.mssOption());
        o.put("localMss", localMss);
        o.put("peerWindowShift", info.sndWindowShift);
        o.put("localWindowShift", info.rcvWindowShift);
        o.put("sack", info.sack);
        o.put("timestamps", info.timestamps);
        c.put("localTsClock", Integer.toUnsignedLong(tsClock));
        c.put("peerTsRecent", peerTsRecent & 0xFFFF_FFFFL);
        return c;
    }
}
