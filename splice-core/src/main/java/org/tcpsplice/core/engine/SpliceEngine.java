package org.tcpsplice.core.engine;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.tcpsplice.core.PacketVerdict;
import org.tcpsplice.core.SpliceCounters;
import org.tcpsplice.core.SpliceSwitch;
import org.tcpsplice.core.distribution.NodeDistribution;
import org.tcpsplice.core.fastpath.FastPath;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.packet.ArpResponder;
import org.tcpsplice.core.packet.Bytes;
import org.tcpsplice.core.packet.PuntTag;
import org.tcpsplice.core.packet.PureAck;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.rules.NodeConnectionFlows;
import org.tcpsplice.core.teardown.ExpiredSplice;

/**
 * The switch of patent Fig. 4 as a controller runs it, written once for both controllers: a packet-in
 * becomes a verdict and its effects (ARP for the VIP, a new connection steered to its node, a frame
 * translated and sent on, the target's ACK copied to the forwarding node), a node's handoff becomes a
 * transaction ({@link HandoffTransaction}), and splices that closed or idled are swept (Fig. 4,
 * 405-410). It owns the counters. The outside is reached through small interfaces: the switch
 * ({@link SwitchProgram}, {@link PacketIn}), the store ({@link SpliceRecords}), the fast path
 * ({@link FastPath}), where clients are ({@link ClientLocator}) and a clock.
 *
 * <p>Thread-safe. Packet-ins take no lock (the tables are safe for concurrent lookups); everything
 * that changes tables, store and switch together (a handoff's apply or undo, an ended splice, a change
 * of fast path) holds {@link SwitchState}'s lock, and nothing waits for the switch or a disk while it
 * does.
 */
public final class SpliceEngine implements AutoCloseable {
    private final SpliceSwitch sw;
    private final SwitchState state;
    private final HandoffTransaction handoffs;
    private final SwitchProgram program;
    private final ClientLocator locator;
    private final EngineLog log;
    private final SpliceCounters counters = new SpliceCounters();
    /** Where each new connection's client sits, recorded at its SYN: needed for its first handoff. */
    private final Map<FourTuple, long[]> attachments = new ConcurrentHashMap<>();
    private final NodeConnectionFlows nodeFlows = new NodeConnectionFlows();
    private final ThreadLocal<TcpFrame> frames = ThreadLocal.withInitial(TcpFrame::new);
    private volatile Service service;
    private volatile NodeDistribution distribution;

    public SpliceEngine(Service service, SwitchProgram program, SpliceRecords records, FastPath fastPath,
                        ClientLocator locator, LongSupplier clockMillis, EngineLog log) {
        this.service = service;
        this.distribution = service.distribution();
        this.program = program;
        this.locator = locator;
        this.log = log;
        // The distribution follows the configuration; the switch logic asks whichever is current.
        this.sw = new SpliceSwitch(new NodeDistribution() {
            @Override
            public int choose(FourTuple clientToService) {
                return distribution.choose(clientToService);
            }

            @Override
            public void connectionEnded(int nodeIp) {
                distribution.connectionEnded(nodeIp);
            }
        }, service.teardown, clockMillis);
        this.state = new SwitchState(sw.tables(), program, records, fastPath, counters, log,
                service.confirmTimeoutMillis);
        this.handoffs = new HandoffTransaction(sw, state, program, counters, log);
    }

    /** The mapping tables: fill them from the store before the first packet, then read them (REST, CLI). */
    public SpliceTables tables() {
        return sw.tables();
    }

    public Service service() {
        return service;
    }

    /**
     * A new configuration: the nodes, VIP and timers from now on. A changed node list or policy starts
     * a fresh distribution; connections already given to nodes stay where they are.
     */
    public void configure(Service next) {
        Service previous = service;
        service = next;
        sw.setTeardownPolicy(next.teardown);
        state.setConfirmTimeout(next.confirmTimeoutMillis);
        if (!previous.nodes.equals(next.nodes) || !previous.policy.equals(next.policy) || previous.vip != next.vip
                || previous.port != next.port) {
            distribution = next.distribution();
        }
    }

    // ---------------------------------------------------------------- packet-in (Fig. 4, 430-470)

    /**
     * One packet the switch sent here. Returns false when it is not this engine's (neither to the
     * service, nor spliced, nor the fast path's, nor a node's on the slow path): a controller with other
     * applications leaves it to them, the standalone one forwards it normally.
     */
    public boolean onPacketIn(byte[] arrived, PacketIn in) {
        // The fast path's punt tag: the frame as it arrived, untagged (only the program tags, see PuntTag).
        boolean tagged = PuntTag.on(arrived, arrived.length);
        byte[] frame = tagged ? PuntTag.stripped(arrived) : arrived;
        Service svc = service;
        byte[] arp = ArpResponder.replyFor(frame, svc.vip, svc.vipMac);
        if (arp != null) {
            counters.count("packet_in");
            counters.count("arp_replies");
            in.reply(arp);
            return true;
        }
        TcpFrame parsed = frames.get();
        PacketVerdict v = sw.onPacket(frame, 0, frame.length, parsed);
        if (!tagged && !concernsSplicing(v, parsed, svc)) {
            return false;
        }
        counters.count("packet_in");
        if (tagged) {
            counters.count("packet_in_from_fast_path");
        }
        counters.verdict(v);
        switch (v.kind) {
            case NEW_CONNECTION:
                if (v.endedSplice != null) {
                    // The client's new SYN on a closed splice's tuple ended it inside the linger; the new
                    // connection's steering flows replace the old ones.
                    state.ended(v.endedSplice);
                    state.commitInBackground("the end of " + v.endedSplice.clientKey);
                }
                Node node = svc.byIp(v.nodeIp);
                if (node == null) { // given to a node the configuration has dropped since
                    counters.count("dropped_unknown_connection");
                    return true;
                }
                // Counted first: whoever sees the connection served must see it counted.
                counters.count(v.repeatedSyn ? "syns_repeated" : "new_connections");
                newConnection(in, parsed, frame, node, svc);
                return true;
            case TRANSLATED:
                if (!v.decision.newestRange) {
                    counters.count("translated_older_range"); // Fig. 5 at work: an earlier node's range
                }
                in.output(frame, v.outPort);
                if (v.forwarderAck != null) {
                    copyAckToForwarder(in, v.forwarderAck, svc);
                }
                return true;
            case FORWARD_UNCHANGED:
                forwardUnchanged(in, parsed, frame, v, svc);
                return true;
            case DROP:
                log.debug(() -> "dropped " + v.decision.reason + ": " + tuple(parsed));
                return true;
            default: // not IPv4/TCP as spliced here; the fast path's tagged original would come back here
                in.forwardNormally(frame);
                return true;
        }
    }

    /**
     * Whether an untagged packet-in is this engine's: a spliced or new connection, one to the VIP, or a
     * node's TCP on the slow path (its standing rule). The counters count these alone: under ONOS every
     * application's packet-ins pass every processor.
     */
    private boolean concernsSplicing(PacketVerdict v, TcpFrame f, Service svc) {
        switch (v.kind) {
            case FORWARD_UNCHANGED:
                // With the fast path a node's TCP comes here only by another application's request.
                return f.dstIp() == svc.vip || (!state.fastPathReplacesRules() && svc.byIp(f.srcIp()) != null);
            case NOT_PARSED:
                return false;
            default:
                return true;
        }
    }

    /**
     * Patent Fig. 4, 433-435: two flows steer the connection to its node; the SYN goes on once a packet
     * sent after them follows them (sent at once under ONOS, it raced them, and the node's SYN-ACK came
     * back here).
     */
    private void newConnection(PacketIn in, TcpFrame syn, byte[] frame, Node node, Service svc) {
        FourTuple connection = tuple(syn);
        attachments.put(connection, new long[] {syn.srcMac(), in.inPort()});
        byte[] toNode = withDestination(frame, node.mac);
        program.steer(connection, node, in.inPort(), svc.connectionIdleSeconds).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("the switch refused the steering flows of " + connection + " (" + failure.getMessage()
                        + "); its SYN goes on without them");
            }
            in.output(toNode, node.switchPort);
        });
        log.debug(() -> "new connection " + connection + " -> " + node);
    }

    /**
     * The node that handed off forwards the request on its new connection after the splice is live
     * (docs/handoff-race.md); its kernel must see the target acknowledge it, or it retransmits the
     * request until the node silences the socket. So the target's first acks of exactly those bytes also
     * go, untranslated and without payload, to the forwarding node ({@link PacketVerdict#forwarderAck}).
     */
    private void copyAckToForwarder(PacketIn in, byte[] ackOnly, Service svc) {
        Node forwarder = svc.byIp(PureAck.dstIp(ackOnly));
        if (forwarder != null) {
            counters.count("acks_copied_to_forwarder");
            in.output(ackOnly, forwarder.switchPort);
        }
    }

    /**
     * To the VIP without a flow (the handshake racing its flows): to its connection's node. From the
     * fast path: on as the switch would forward it. From a node on the slow path (its standing rule):
     * on normally, and a connection that carries payload outside any splice (a relay) gets a flow of
     * its own; c2 never does before its splice exists (see {@link NodeConnectionFlows}).
     */
    private void forwardUnchanged(PacketIn in, TcpFrame f, byte[] frame, PacketVerdict v, Service svc) {
        FourTuple t = tuple(f);
        if (t.dstIp == svc.vip) {
            Node owner = svc.byIp(sw.owners().ownerIpOf(t));
            if (owner == null) {
                log.debug(() -> "no node known for " + t + " (" + v.decision.reason + "); dropped");
                counters.count("dropped_unknown_connection");
                return;
            }
            counters.count("forwarded_to_owner");
            in.output(withDestination(frame, owner.mac), owner.switchPort);
            return;
        }
        in.forwardNormally(frame);
        if (!state.fastPathReplacesRules() && nodeFlows.asksForFlow(f, v.decision.reason, svc.byIp(t.srcIp) != null)) {
            program.nodeConnectionFlow(t, svc.connectionIdleSeconds);
            counters.count("node_connection_flows");
        }
    }

    /**
     * The frame with the node's MAC as its destination, in the frame itself: ONOS's OpenFlow packet
     * provider applies only the OUTPUT instructions of a packet-out, so a rewrite there would be lost
     * and the node would discard a frame for the VIP's MAC.
     */
    private static byte[] withDestination(byte[] frame, long mac) {
        byte[] out = frame.clone();
        Bytes.put48(out, 0, mac);
        return out;
    }

    // ---------------------------------------------------------------- flows the switch removed

    /**
     * A connection's steering flow idled out on the switch: the connection is over (its node no longer
     * serves it, and a SYN on its tuple is a new connection). Not for flows this engine removed.
     */
    public void steeringExpired(FourTuple connection) {
        attachments.remove(connection);
        sw.connectionEnded(connection);
    }

    /** A node connection's own flow is gone (it idled out): that direction's next payload asks again. */
    public void nodeConnectionFlowRemoved(FourTuple direction) {
        nodeFlows.flowRemoved(direction);
    }

    // ---------------------------------------------------------------- handoffs (Fig. 4, 440-460; Fig. 6)

    /**
     * A node's handoff: completes with the outcome once it is durable and live in the switch's data path,
     * so the node may let go of its sockets; refused (nothing changed) or undone when the switch did not
     * confirm. Never blocks the caller on the switch or a disk.
     */
    public CompletableFuture<HandoffOutcome> handoff(String nodeId, ConnectionSnapshot clientSide,
                                                     ConnectionSnapshot newConnection) {
        long[] at = null;
        if (clientSide != null) {
            at = attachments.get(clientSide.tuple.reversed());
            if (at == null) {
                at = locator.locate(clientSide.tuple.dstIp);
            }
        }
        return handoffs.run(service, nodeId, clientSide, newConnection, at);
    }

    /** Removes a splice, its rules and its record; false if there was none. */
    public boolean removeSplice(FourTuple clientKey) {
        if (!state.remove(clientKey)) {
            return false;
        }
        counters.count("splices_removed_by_api");
        return true;
    }

    // ---------------------------------------------------------------- teardown (Fig. 4, 405-410)

    /** Removes closed (after their linger) and idle splices and their flows; run every second. */
    public void sweep() {
        keepFastPathInStep();
        int idleTimeout = sw.teardownPolicy().idleTimeoutSeconds;
        List<ExpiredSplice> expired = sw.onTimer(clientKey -> state.activeOnFastPath(clientKey, idleTimeout));
        for (ExpiredSplice e : expired) {
            state.ended(e);
            // splice-core forgot the connection's node (SpliceSwitch.connectionEnded); its steering goes too,
            // so that a reused port is a new connection.
            attachments.remove(e.clientKey);
            if (program.available()) {
                program.endSteering(e.clientKey);
            }
        }
        if (!expired.isEmpty()) {
            // One fsync for every splice this sweep ended, by the committer: handoffs do not wait for it.
            state.commitInBackground("the end of " + expired.size() + " expired splice(s)");
        }
    }

    /** A switch-host agent resynced when it restarted or missed a change (or has not been reached yet). */
    private void keepFastPathInStep() {
        if (state.keepFastPathInStep()) {
            counters.count("fast_path_resyncs");
            log.info("resynced the fast path (" + state.fastPath().entries() + " entries of "
                    + sw.tables().spliceCount() + " splices)");
        }
    }

    // ---------------------------------------------------------------- the switch and the fast path

    /**
     * The switch may have lost every flow (it connected, or connected again): every splice's rules go to
     * it again, and every node connection may ask for its flow again. The adapter sends its standing
     * rules first.
     */
    public void switchReset() {
        nodeFlows.forgetAll();
        state.reprogramAll();
    }

    /**
     * Splices restored from the store that this instance did not see start (the app activated again, a
     * controller restarted): the client's attachment and the way back to it from their toward-client
     * entry, and their rules where none are on the switch yet. Not waited for.
     */
    public int programRestored() {
        Service svc = service;
        int restored = 0;
        for (FourTuple clientKey : sw.tables().clientKeys()) {
            if (attachments.containsKey(clientKey)) {
                continue; // its SYN came here: its steering flows are on the switch
            }
            for (FourTuple key : sw.tables().level1Keys(clientKey)) {
                Level2Entry e = sw.tables().level2Table(key);
                if (e != null && e.towardClient) {
                    attachments.put(clientKey, new long[] {e.newDstMac(), e.outPort});
                    program.steerBack(clientKey.reversed(), e.outPort, svc.connectionIdleSeconds);
                    break;
                }
            }
            if (state.programIfMissing(clientKey)) {
                restored++;
            }
        }
        return restored;
    }

    /**
     * Switches between per-splice rules and a fast path (see {@link SwitchState#useFastPath}); a local
     * map is written from the tables at once (IOException if it cannot be), a remote one in step.
     */
    public void useFastPath(FastPath next) throws IOException {
        state.useFastPath(next);
        keepFastPathInStep();
    }

    public FastPath fastPath() {
        return state.fastPath();
    }

    // ---------------------------------------------------------------- counters

    /** GET /metrics: the same gauges and counters, under the same names, from both controllers. */
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("switch_connected", program.available());
        m.put("splices", sw.tables().spliceCount());
        m.put("level1_keys", sw.tables().level1Size());
        m.put("connections_steered", attachments.size());
        m.put("fast_path", state.fastPath().toString());
        m.put("fast_path_entries", state.fastPath().entries());
        m.putAll(counters.snapshot());
        return m;
    }

    /** Records which node serves a client connection (what the VIP front end does at its SYN); for tests. */
    public void recordOwner(FourTuple clientToService, int nodeIp) {
        sw.owners().record(clientToService, nodeIp);
    }

    /** Commits what is pending and stops the committer. */
    @Override
    public void close() throws InterruptedException {
        state.close();
    }

    private static FourTuple tuple(TcpFrame f) {
        return new FourTuple(f.srcIp(), f.srcPort(), f.dstIp(), f.dstPort());
    }
}
