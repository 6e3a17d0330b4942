package org.tcpsplice.controller;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpsplice.api.ApiException;
import org.tcpsplice.api.json.SpliceJson;
import org.tcpsplice.core.fastpath.FastPath;
import org.tcpsplice.controller.openflow.FlowMods;
import org.tcpsplice.controller.openflow.SwitchListener;
import org.tcpsplice.controller.openflow.SwitchSession;
import org.tcpsplice.controller.rest.AsyncSpliceService;
import org.tcpsplice.controller.store.SpliceJournal;
import org.tcpsplice.core.PacketVerdict;
import org.tcpsplice.core.SpliceCounters;
import org.tcpsplice.core.SpliceSwitch;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.handoff.DataPathAddresses;
import org.tcpsplice.core.handoff.HandoffRequest;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.MappingDecision;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.packet.ArpResponder;
import org.tcpsplice.core.packet.PuntTag;
import org.tcpsplice.core.rules.NodeConnectionFlows;
import org.tcpsplice.core.packet.PureAck;
import org.tcpsplice.core.packet.TcpFrame;
import org.tcpsplice.core.rules.RuleCompiler;
import org.tcpsplice.core.rules.SwitchRule;
import org.tcpsplice.core.teardown.ExpiredSplice;

/**
 * The standalone controller's logic: splice-core's {@link SpliceSwitch} wired to one OpenFlow
 * switch, the journal and the REST API. Handoffs, expiry and switch resync are serialized on one
 * lock so that tables, journal and switch rules change together; the slow part of a handoff, the
 * journal's fsync and the switch's barrier, is shared by concurrent handoffs outside it (group
 * commit). Packet-ins take no lock (the tables are safe for concurrent lookups).
 */
public final class SpliceController implements AsyncSpliceService, SwitchListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpliceController.class);
    private static final long BARRIER_TIMEOUT_MS = 5000;

    /** Where a new connection's client sits, recorded at its SYN (needed for its first handoff). */
    private static final class Attachment {
        final long clientMac;
        final int clientPort;

        Attachment(long clientMac, int clientPort) {
            this.clientMac = clientMac;
            this.clientPort = clientPort;
        }
    }

    private final Nodes nodes;
    private final int vip;
    private final long vipMac;
    private final int connectionIdleSeconds;
    private final SpliceSwitch sw;
    private final SpliceJournal journal;
    private final FastPath fastPath;
    private final SpliceCounters metrics = new SpliceCounters();
    private final Map<FourTuple, Attachment> attachments = new ConcurrentHashMap<>();
    /** Slow path: when a connection from a node gets a flow of its own (see Pipeline's node rules). */
    private final NodeConnectionFlows nodeFlows = new NodeConnectionFlows();
    private final Map<FourTuple, List<SwitchRule>> installed = new ConcurrentHashMap<>();
    private final Object programming = new Object();
    private final GroupCommit commits;
    private final ThreadLocal<TcpFrame> frames = ThreadLocal.withInitial(TcpFrame::new);
    private volatile SwitchSession session;

    SpliceController(Nodes nodes, int vip, long vipMac, int connectionIdleSeconds, SpliceSwitch sw, SpliceJournal journal,
                     FastPath fastPath) throws IOException {
        this.nodes = nodes;
        this.vip = vip;
        this.vipMac = vipMac;
        this.connectionIdleSeconds = connectionIdleSeconds;
        this.sw = sw;
        this.journal = journal;
        this.fastPath = fastPath;
        List<FourTuple> restored = journal.restoreInto(sw.tables());
        if (!restored.isEmpty()) {
            LOG.info("restored {} splices from the journal; their rules go to the switch when it connects", restored.size());
        }
        // The translator's map outlives the controller: make it match the journal, stale entries gone.
        fastPath.resync(sw.tables());
        this.commits = new GroupCommit(this::commit);
    }

    /** Commits the handoffs still waiting for it and stops the committer. */
    @Override
    public void close() throws InterruptedException {
        commits.close();
    }

    // ---------------------------------------------------------------- switch events

    @Override
    public void switchReady(SwitchSession s) {
        session = s;
        synchronized (programming) {
            installed.clear();
            nodeFlows.forgetAll(); // asked for again, at most once each, if the switch lost them
            OFFactory f = s.factory();
            List<OFMessage> flows = new ArrayList<>();
            Pipeline.standing(f, vip, nodes.all(), fastPath.replacesSpliceRules())
                    .forEach(flow -> flows.add(flow.createBuilder().setXid(s.nextXid()).build()));
            List<FourTuple> splices = sw.tables().clientKeys();
            for (FourTuple client : splices) {
                flows.addAll(ruleChanges(s, client));
            }
            s.send(flows);
            s.barrier().whenComplete((ok, error) -> LOG.info("switch {}: standing flows and {} splices {}",
                    s.datapathId(), splices.size(), error == null ? "installed" : "NOT confirmed: " + error.getMessage()));
        }
    }

    @Override
    public void switchGone(SwitchSession s) {
        if (session == s) {
            session = null;
        }
    }

    @Override
    public void packetIn(SwitchSession s, OFPacketIn pi) {
        byte[] data = pi.getData();
        OFPort inPort = pi.getMatch().get(MatchField.IN_PORT);
        metrics.count("packet_in");
        if (PuntTag.on(data, data.length)) {
            // Sent by the fast path: the frame as it arrived. (The tag's rule exists only with the fast
            // path, whose program drops the tag on frames from the hosts.)
            data = PuntTag.stripped(data);
            metrics.count("packet_in_from_fast_path");
        }
        byte[] arp = ArpResponder.replyFor(data, vip, vipMac);
        if (arp != null) {
            packetOut(s, arp, inPort, List.of(output(s, OFPort.IN_PORT)));
            metrics.count("arp_replies");
            return;
        }
        TcpFrame frame = frames.get();
        PacketVerdict v = sw.onPacket(data, 0, data.length, frame);
        metrics.verdict(v);
        switch (v.kind) {
            case NEW_CONNECTION:
                if (v.endedSplice != null) {
                    endedByNewSyn(v.endedSplice);
                }
                newConnection(s, frame, data, inPort, v.nodeIp, v.repeatedSyn);
                break;
            case TRANSLATED:
                packetOut(s, data, OFPort.CONTROLLER, List.of(output(s, OFPort.of(v.outPort))));
                if (!v.decision.newestRange) {
                    metrics.count("translated_older_range"); // Fig. 5 at work: what the fast path leaves
                }
                if (v.forwarderAck != null) {
                    copyAckToForwarder(s, v.forwarderAck);
                }
                break;
            case FORWARD_UNCHANGED:
                forwardUnchanged(s, frame, data, inPort, v.decision.reason);
                break;
            case DROP:
                LOG.debug("dropped {}: {}", v.decision.reason, frameTuple(frame));
                break;
            default:
                packetOut(s, data, inPort, List.of(output(s, OFPort.NORMAL)));
        }
    }

    private void newConnection(SwitchSession s, TcpFrame frame, byte[] syn, OFPort inPort, int nodeIp, boolean repeatedSyn) {
        Nodes.Node node = nodes.byIp(nodeIp);
        FourTuple connection = frameTuple(frame);
        attachments.put(connection, new Attachment(frame.srcMac(), inPort.getPortNumber()));
        List<OFMessage> flows = new ArrayList<>();
        Pipeline.connection(s.factory(), connection, node.mac, node.switchPort, inPort.getPortNumber(),
                connectionIdleSeconds).forEach(flow -> flows.add(flow.createBuilder().setXid(s.nextXid()).build()));
        s.send(flows);
        packetOut(s, syn, OFPort.CONTROLLER, steer(s, node));
        metrics.count(repeatedSyn ? "syns_repeated" : "new_connections");
        LOG.debug("new connection {} -> node {}", connection, node);
    }

    /**
     * The node that handed off forwards the request on its new connection after the splice is live
     * (docs/handoff-race.md); its kernel must see the target acknowledge it, or it retransmits
     * the request until the node silences the socket, and those duplicates provoke duplicate ACKs and,
     * once the connection has closed, RSTs. The target's first acks of exactly those bytes also go,
     * untranslated and without payload, to the forwarding node (the first few, in case one is lost; the
     * fast path leaves the same number to the controller, see FastPathEntries). splice-core hands over
     * that copy and counts them ({@link PacketVerdict#forwarderAck}).
     */
    private void copyAckToForwarder(SwitchSession s, byte[] ackOnly) {
        Nodes.Node forwarder = nodes.byIp(PureAck.dstIp(ackOnly));
        if (forwarder == null) {
            return;
        }
        packetOut(s, ackOnly, OFPort.CONTROLLER, List.of(output(s, OFPort.of(forwarder.switchPort))));
        metrics.count("acks_copied_to_forwarder");
    }

    /** Spliced but before the first handoff (to the original node), or a VIP packet without a flow. */
    private void forwardUnchanged(SwitchSession s, TcpFrame frame, byte[] data, OFPort inPort,
                                  MappingDecision.Reason reason) {
        FourTuple tuple = frameTuple(frame);
        if (tuple.dstIp == vip) {
            Nodes.Node owner = nodes.byIp(sw.owners().ownerIpOf(tuple));
            if (owner == null) {
                LOG.debug("no node known for {} ({}); dropped", tuple, reason);
                metrics.count("dropped_unknown_connection");
                return;
            }
            packetOut(s, data, OFPort.CONTROLLER, steer(s, owner));
            return;
        }
        packetOut(s, data, inPort, List.of(output(s, OFPort.NORMAL)));
        if (!fastPath.replacesSpliceRules() && nodeFlows.asksForFlow(frame, reason, nodes.byIp(tuple.srcIp) != null)) {
            // It came by a node rule of the slow path (Pipeline): a connection that carries payload
            // outside any splice (a relay) gets its own flow; c2 never does before its splice exists.
            s.send(Pipeline.nodeConnection(s.factory(), tuple, connectionIdleSeconds).createBuilder()
                    .setXid(s.nextXid()).build());
            metrics.count("node_connection_flows");
        }
    }

    @Override
    public void flowRemoved(SwitchSession s, OFFlowRemoved removed) {
        long cookie = removed.getCookie().getValue();
        if (cookie != Pipeline.CONNECTION_COOKIE && cookie != Pipeline.NODE_CONNECTION_COOKIE) {
            return;
        }
        IPv4Address src = removed.getMatch().get(MatchField.IPV4_SRC);
        IPv4Address dst = removed.getMatch().get(MatchField.IPV4_DST);
        TransportPort sport = removed.getMatch().get(MatchField.TCP_SRC);
        TransportPort dport = removed.getMatch().get(MatchField.TCP_DST);
        if (src == null || dst == null || sport == null || dport == null) {
            return;
        }
        FourTuple connection = new FourTuple(src.getInt(), sport.getPort(), dst.getInt(), dport.getPort());
        if (cookie == Pipeline.NODE_CONNECTION_COOKIE) {
            nodeFlows.flowRemoved(connection);
            return;
        }
        if (removed.getReason() == OFFlowRemovedReason.DELETE) {
            // Removed by this controller, when the connection's splice expired (sweep already ended
            // the connection), or when the switch's table was cleared (live connections stay known).
            // A new connection on the same tuple may already be recorded by the time this arrives.
            return;
        }
        attachments.remove(connection);
        sw.connectionEnded(connection);
    }

    // ---------------------------------------------------------------- REST

    @Override
    public HandoffResult handoff(String nodeId, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection) {
        try {
            return handoffAsync(nodeId, clientSide, newConnection).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof ApiException ? (ApiException) e.getCause() : e;
        }
    }

    /**
     * Patent Fig. 6 with the switch: applies the handoff to the tables, journal, fast path and switch
     * rules under the programming lock, and completes once the group commit made it durable and, with
     * switch rules, confirmed. A refusal is thrown at once; a commit that fails undoes the handoff and
     * completes with a 503.
     */
    @Override
    public CompletableFuture<HandoffResult> handoffAsync(String nodeId, ConnectionSnapshot clientSide,
                                                         ConnectionSnapshot newConnection) {
        long start = System.nanoTime();
        Nodes.Node node = nodes.byId(nodeId);
        if (node == null) {
            throw new ApiException(403, "UNKNOWN_NODE", nodeId + " is not a configured node");
        }
        Nodes.Node target = nodes.byIp(newConnection.tuple.dstIp);
        if (target == null) {
            throw new ApiException(400, "MALFORMED", "the new connection goes to " + Ipv4.format(newConnection.tuple.dstIp)
                    + ", which is not a configured node");
        }
        SwitchSession s = session;
        if (s == null || !s.isReady()) {
            throw new ApiException(503, "SWITCH_UNAVAILABLE", "no switch is connected; nothing was changed");
        }
        Map<FourTuple, Level2Entry> before;
        HandoffOutcome out;
        SpliceJson result;
        CompletableFuture<Void> committed;
        synchronized (programming) {
            before = sw.tables().capture(sw.tables().clientKeyOf(clientSide.tuple));
            Attachment a = attachments.get(clientSide.tuple.reversed());
            DataPathAddresses path = new DataPathAddresses(node.mac, target.mac, target.switchPort,
                    a == null ? 0 : a.clientMac, a == null ? 0 : a.clientPort, vipMac);
            out = sw.onHandoff(new HandoffRequest(node.ip, clientSide, newConnection, path));
            if (!out.accepted()) {
                metrics.count("handoffs_refused_" + out.refusal);
                throw ApiException.of(out.refusal, out.message);
            }
            try {
                if (out.kind == HandoffOutcome.Kind.APPLIED) {
                    journal.put(sw.tables(), out.clientKey);
                    // The translator first: with it updated, the client's new range already goes to the
                    // target (by MAC, through its node rule) while the switch's rules change, if it has any.
                    fastPath.sync(sw.tables(), out.clientKey);
                    s.send(ruleChanges(s, out.clientKey));
                }
            } catch (Exception e) {
                rollback(s, out.clientKey, before);
                throw ApiException.switchDidNotConfirm(e.getMessage());
            }
            result = SpliceJson.of(sw.tables(), out.clientKey);
            committed = commits.ticketToLead();
        }
        commits.lead(); // outside the lock: the fsync must not hold up other handoffs' writes
        return committed.handle((ok, failure) -> {
            if (failure != null) {
                metrics.count("handoffs_unconfirmed");
                synchronized (programming) {
                    rollback(s, out.clientKey, before);
                }
                throw failure instanceof TimeoutException
                        ? ApiException.switchDidNotConfirm("no answer within " + BARRIER_TIMEOUT_MS + " ms")
                        : ApiException.switchDidNotConfirm((failure instanceof ExecutionException
                                ? failure.getCause() : failure).getMessage());
            }
            metrics.count(out.kind == HandoffOutcome.Kind.APPLIED ? "handoffs_applied" : "handoffs_repeated");
            metrics.handoffLatency(System.nanoTime() - start);
            // Debug, not info: at a thousand handoffs a second a line each is a bottleneck of its own (stderr's lock).
            LOG.debug("handoff by {}: {} now served by {}", nodeId, out.clientKey, target);
            return new HandoffResult(out.kind == HandoffOutcome.Kind.APPLIED, result);
        });
    }

    /**
     * The group commit's slow steps, once for every handoff written since the last: the journal's fsync
     * and, with switch rules, a barrier. With the fast path there were no flow-mods to confirm: its map
     * writes took effect when they returned.
     */
    private void commit() throws Exception {
        journal.sync();
        if (!fastPath.replacesSpliceRules()) {
            SwitchSession s = session;
            if (s == null || !s.isReady()) {
                throw new IOException("the switch disconnected");
            }
            s.barrier().get(BARRIER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public List<SpliceJson> splices() {
        return SpliceJson.all(sw.tables());
    }

    @Override
    public SpliceJson splice(FourTuple clientKey) {
        return SpliceJson.of(sw.tables(), clientKey);
    }

    @Override
    public boolean removeSplice(FourTuple clientKey) {
        synchronized (programming) {
            if (!sw.tables().removeSplice(clientKey)) {
                return false;
            }
            forget(clientKey);
            syncJournal();
            metrics.count("splices_removed_by_api");
            return true;
        }
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        SwitchSession s = session;
        m.put("switch_connected", s != null && s.isReady());
        m.put("splices", sw.tables().spliceCount());
        m.put("level1_keys", sw.tables().level1Size());
        m.put("connections_steered", attachments.size());
        m.put("fast_path", fastPath.toString());
        m.put("fast_path_entries", fastPath.entries());
        m.putAll(metrics.snapshot());
        return m;
    }

    // ---------------------------------------------------------------- teardown

    /** Patent Fig. 4, 405-410: removes closed and idle splices and their rules (run every second). */
    void sweep() {
        List<ExpiredSplice> expired = sw.onTimer(this::translatedByFastPath);
        if (expired.isEmpty()) {
            return;
        }
        SwitchSession s = session;
        synchronized (programming) {
            for (ExpiredSplice e : expired) {
                ended(e);
                endSteering(s, e.clientKey);
            }
            // One fsync for every splice this sweep ended, by the committer: handoffs do not wait for it.
            commitInBackground("the end of " + expired.size() + " expired splice(s)");
        }
    }

    /**
     * A closed splice the client's new SYN on its tuple ended inside the linger: gone from the journal
     * and the fast path before the new connection is steered, whose flows replace the old steering
     * flows. The group commit makes the journal durable (restored after a restart, the splice would
     * catch the new connection's packets), so this packet-in does not wait for an fsync.
     */
    private void endedByNewSyn(ExpiredSplice e) {
        synchronized (programming) {
            ended(e);
            commitInBackground("the end of " + e.clientKey);
        }
    }

    /** Has the group commit make the journal's last records durable; the caller does not wait for it. */
    private void commitInBackground(String what) {
        commits.ticket().whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.error("journal: {} may not be durable: {}", what, failure.getMessage());
            }
        });
    }

    /** A splice that left the tables (expired, or ended by a new SYN): journal, fast path, rules, counters. */
    private void ended(ExpiredSplice e) {
        forget(e.clientKey);
        metrics.count("splices_ended_" + e.cause);
        // Debug, as for handoffs: splices end as often as they start (the counters above sum them).
        LOG.debug("splice {} ended ({})", e.clientKey, e.cause);
    }

    /**
     * The client connection of an expired splice is over (splice-core forgot its node,
     * SpliceSwitch.connectionEnded): its steering flows go too, so a reused port is a new connection.
     */
    private void endSteering(SwitchSession s, FourTuple clientKey) {
        attachments.remove(clientKey);
        if (s != null && s.isReady()) {
            List<OFMessage> deletes = new ArrayList<>();
            Pipeline.connectionEnded(s.factory(), clientKey)
                    .forEach(d -> deletes.add(d.createBuilder().setXid(s.nextXid()).build()));
            s.send(deletes);
        }
    }

    /** Whether a splice that looks idle here had packets translated by the fast path within the idle timeout. */
    private boolean translatedByFastPath(FourTuple clientKey) {
        synchronized (programming) {
            try {
                return fastPath.translatedWithin(clientKey, sw.teardownPolicy().idleTimeoutSeconds);
            } catch (java.io.IOException e) {
                LOG.warn("could not read the fast path's map for {} ({}); it ends as idle", clientKey, e.getMessage());
                return false;
            }
        }
    }

    /**
     * After a splice left the tables: journal, fast path, switch rules. Caller holds the lock, and
     * makes the journal durable once it has forgotten all it is going to ({@link #syncJournal}).
     */
    private void forget(FourTuple clientKey) {
        try {
            journal.remove(clientKey);
        } catch (IOException e) {
            LOG.error("journal: could not record the end of {}: {}", clientKey, e.getMessage());
        }
        syncFastPath(clientKey);
        SwitchSession s = session;
        if (s != null && s.isReady()) {
            s.send(ruleChanges(s, clientKey));
        } else {
            installed.remove(clientKey);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Flow-mods that take the switch from the splice's installed rules to its current ones (none with
     * the fast path, which holds the splice's tuples instead).
     */
    private List<OFMessage> ruleChanges(SwitchSession s, FourTuple clientKey) {
        List<SwitchRule> now = fastPath.replacesSpliceRules() ? List.of() : RuleCompiler.compile(sw.tables(), clientKey);
        List<SwitchRule> old = installed.getOrDefault(clientKey, List.of());
        Set<SwitchRule> keep = new HashSet<>(old);
        List<OFMessage> changes = new ArrayList<>();
        for (SwitchRule r : now) {
            if (!keep.remove(r)) {
                changes.add(FlowMods.add(s.factory(), r, s.nextXid()));
            }
        }
        for (SwitchRule r : keep) {
            changes.add(FlowMods.delete(s.factory(), r, s.nextXid()));
        }
        if (now.isEmpty()) {
            installed.remove(clientKey);
        } else {
            installed.put(clientKey, now);
        }
        return changes;
    }

    private void rollback(SwitchSession s, FourTuple clientKey, Map<FourTuple, Level2Entry> before) {
        sw.tables().putBack(clientKey, before);
        try {
            if (before.isEmpty()) {
                journal.remove(clientKey);
            } else {
                journal.put(sw.tables(), clientKey);
            }
        } catch (IOException e) {
            LOG.error("journal: rollback of {} not recorded: {}", clientKey, e.getMessage());
        }
        syncJournal();
        syncFastPath(clientKey);
        if (s.isReady()) {
            s.send(ruleChanges(s, clientKey));
        } else {
            installed.remove(clientKey); // reinstalled from the tables on reconnect
        }
    }

    /** Makes the journal's last records durable; a failure is logged (the tables stay as they are). */
    private void syncJournal() {
        try {
            journal.sync();
        } catch (IOException e) {
            LOG.error("journal: could not make its last records durable: {}", e.getMessage());
        }
    }

    /** The fast path follows the tables; if its map cannot be written, the slow path still maps correctly. */
    private void syncFastPath(FourTuple clientKey) {
        try {
            fastPath.sync(sw.tables(), clientKey);
        } catch (IOException e) {
            LOG.error("fast path: could not update the map for {}: {}", clientKey, e.getMessage());
        }
    }

    private static FourTuple frameTuple(TcpFrame f) {
        return new FourTuple(f.srcIp(), f.srcPort(), f.dstIp(), f.dstPort());
    }

    private static OFAction output(SwitchSession s, OFPort port) {
        return s.factory().actions().buildOutput().setPort(port).setMaxLen(0).build();
    }

    private static List<OFAction> steer(SwitchSession s, Nodes.Node node) {
        return List.of(s.factory().actions().setField(s.factory().oxms().ethDst(MacAddress.of(node.mac))),
                output(s, OFPort.of(node.switchPort)));
    }

    private static void packetOut(SwitchSession s, byte[] data, OFPort inPort, List<OFAction> actions) {
        s.send(s.factory().buildPacketOut().setXid(s.nextXid()).setBufferId(OFBufferId.NO_BUFFER).setInPort(inPort)
                .setActions(actions).setData(data).build());
    }
}
