package org.tcpsplice.onos.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import org.junit.After;
import org.junit.Test;
import org.onlab.osgi.ComponentContextAdapter;
import org.onosproject.net.packet.OutboundPacket;
import org.tcpsplice.core.map.HandoffOutcome;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.core.testing.FrameBuilder;

/**
 * Where the ONOS app and the standalone controller used to differ, and how ONOS apps are written: the
 * component properties, the order of round-robin, packets not waiting for a handoff's confirmation, and
 * a cluster's instances (only the device's master acts; the others follow the store). Fakes: ONOS's
 * test adapters, as in {@link ManagerFixture}.
 */
public class SpliceManagerConventionsTest {
    private ManagerFixture fx = new ManagerFixture();

    @After
    public void close() {
        fx.close();
    }

    private static ComponentContextAdapter properties(String... namesAndValues) {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            d.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new ComponentContextAdapter() {
            @Override
            public Dictionary getProperties() {
                return d;
            }
        };
    }

    private int syn(int clientPort) {
        fx.emitted.clear();
        fx.processors.keySet().iterator().next().process(new PuntedPacket(FrameBuilder.tcp(CLIENT, clientPort, SERVICE, HTTP)
                .flags(TcpFlags.SYN).seq(1).build()));
        assertEquals(1, fx.emitted.size());
        OutboundPacket p = fx.emitted.get(0);
        return Integer.parseInt(p.treatment().allInstructions().toString().replaceAll("\\D", ""));
    }

    @Test
    public void theIdleTimeoutAndLingerAreComponentProperties() {
        fx.manager.modified(properties(OsgiPropertyConstants.IDLE_TIMEOUT, "4", OsgiPropertyConstants.CLOSE_LINGER, "2"));
        assertEquals(HandoffOutcome.Kind.APPLIED, fx.handoff(Figure2.aToB()).kind);
        fx.manager.sweep(); // the new splice's idle time starts
        fx.now.addAndGet(3_000);
        fx.manager.sweep();
        assertEquals("idle 3 s of 4", 1, fx.manager.clientKeys().size());
        fx.now.addAndGet(2_000);
        fx.manager.sweep();
        assertEquals("idle 5 s of 4: ended", 0, fx.manager.clientKeys().size());
        assertEquals(1L, fx.manager.metrics().get("splices_ended_IDLE"));
    }

    @Test
    public void leastConnectionsIsAComponentPropertyToo() {
        fx.manager.modified(properties(OsgiPropertyConstants.POLICY, "least-connections"));
        assertEquals(A_SWITCH_PORT, syn(41001));
        assertEquals(B_SWITCH_PORT, syn(41002));
        fx.manager.engine().steeringExpired(new org.tcpsplice.core.net.FourTuple(CLIENT, 41001, SERVICE, HTTP));
        assertEquals("node A has the fewest again", A_SWITCH_PORT, syn(41003));
    }

    /** The standalone controller's order: the configuration's, not the addresses' (ONOS used to sort them). */
    @Test
    public void roundRobinFollowsTheConfigurationsOrder() {
        fx.close();
        fx = new ManagerFixture("{\"device\": \"of:0000000000000001\", \"vip\": \"10.0.0.100\", \"port\": 80,"
                + " \"vipMac\": \"02:00:00:00:00:64\", \"nodes\": ["
                + " {\"id\": \"node-c\", \"ip\": \"10.0.1.3\", \"mac\": \"02:00:00:00:01:03\", \"switchPort\": 4},"
                + " {\"id\": \"node-a\", \"ip\": \"10.0.1.1\", \"mac\": \"02:00:00:00:01:01\", \"switchPort\": 2},"
                + " {\"id\": \"node-b\", \"ip\": \"10.0.1.2\", \"mac\": \"02:00:00:00:01:02\", \"switchPort\": 3}]}");
        assertEquals(C_SWITCH_PORT, syn(41001));
        assertEquals(A_SWITCH_PORT, syn(41002));
        assertEquals(B_SWITCH_PORT, syn(41003));
    }

    /** A handoff waiting for the switch's confirmation holds no lock a packet-in needs. */
    @Test
    public void aNewConnectionIsSteeredWhileAHandoffWaitsForTheSwitch() {
        fx.switchConfirms = false;
        CompletableFuture<HandoffOutcome> waiting = fx.manager.engine().handoff("node-a", Figure2.aToB().clientSide,
                Figure2.aToB().newConnection);
        assertFalse("the handoff waits for the switch", waiting.isDone());
        fx.switchConfirms = true; // the SYN's own flows are confirmed, the handoff's still are not
        long start = System.nanoTime();
        assertEquals(A_SWITCH_PORT, syn(41010));
        assertTrue("the SYN did not wait for it", System.nanoTime() - start < 1_000_000_000L);
        assertFalse(waiting.isDone());
    }

    @Test
    public void onlyTheDevicesMasterHandlesPacketsAndSweeps() {
        assertEquals(HandoffOutcome.Kind.APPLIED, fx.handoff(Figure2.aToB()).kind);
        fx.master = false;
        PuntedPacket syn = new PuntedPacket(FrameBuilder.tcp(CLIENT, 41020, SERVICE, HTTP).flags(TcpFlags.SYN).seq(1).build());
        fx.emitted.clear();
        fx.processors.keySet().iterator().next().process(syn);
        assertFalse("left to the master", syn.blocked);
        assertTrue(fx.emitted.isEmpty());
        fx.now.addAndGet(1_000_000);
        fx.manager.sweep();
        fx.manager.sweep();
        assertEquals("a standby does not end splices", 1, fx.manager.clientKeys().size());
        assertEquals("nor may it hand off", org.tcpsplice.core.handoff.HandoffRefusal.SWITCH_UNAVAILABLE,
                fx.handoff(Figure2.bToC()).refusal);
    }

    @Test
    public void aStandbysTablesFollowTheStore() {
        assertEquals(HandoffOutcome.Kind.APPLIED, fx.handoff(Figure2.aToB()).kind);
        String afterFirst = fx.stored.get(CLIENT_KEY.toString());
        assertEquals(HandoffOutcome.Kind.APPLIED, fx.handoff(Figure2.bToC()).kind);
        String afterSecond = fx.stored.get(CLIENT_KEY.toString());
        fx.master = false;
        // Another instance, now the master, undid the second handoff and wrote the splice back.
        fx.storeListeners.forEach(l -> l.changed(CLIENT_KEY.toString(), afterFirst));
        assertEquals(afterFirst, fx.manager.spliceText(CLIENT_KEY));
        fx.storeListeners.forEach(l -> l.changed(CLIENT_KEY.toString(), null));
        assertNull(fx.manager.spliceText(CLIENT_KEY));
        fx.master = true;
        fx.storeListeners.forEach(l -> l.changed(CLIENT_KEY.toString(), afterSecond));
        assertNull("the master's own tables lead; events do not move them", fx.manager.spliceText(CLIENT_KEY));
        assertEquals(0, fx.manager.engine().tables().spliceCount());
    }

    /**
     * A connection's steering flow that idled out on the switch ends the connection (its node is
     * forgotten, as the standalone controller forgets it on flow-removed); one the app removed itself
     * does not, since its tuple may already be a new connection's.
     */
    @Test
    public void aSteeringFlowThatIdledOutEndsItsConnection() {
        syn(41030);
        syn(41031);
        assertEquals(2L, ((Number) fx.manager.metrics().get("connections_steered")).longValue());
        java.util.List<org.onosproject.net.flow.FlowRule> flows = new java.util.ArrayList<>(fx.applied);
        org.onosproject.net.flow.FlowRule idled = flows.stream().filter(r -> FlowRules.connectionOf(r) != null
                && FlowRules.connectionOf(r).srcPort == 41030).findFirst().get();
        org.onosproject.net.flow.FlowRule removed = flows.stream().filter(r -> FlowRules.connectionOf(r) != null
                && FlowRules.connectionOf(r).srcPort == 41031).findFirst().get();
        fx.flowListeners.forEach(l -> l.event(new org.onosproject.net.flow.FlowRuleEvent(
                org.onosproject.net.flow.FlowRuleEvent.Type.RULE_REMOVE_REQUESTED, removed)));
        fx.flowListeners.forEach(l -> l.event(new org.onosproject.net.flow.FlowRuleEvent(
                org.onosproject.net.flow.FlowRuleEvent.Type.RULE_REMOVED, removed)));
        assertEquals("removed by the app: still steered", 2L,
                ((Number) fx.manager.metrics().get("connections_steered")).longValue());
        fx.flowListeners.forEach(l -> l.event(new org.onosproject.net.flow.FlowRuleEvent(
                org.onosproject.net.flow.FlowRuleEvent.Type.RULE_REMOVED, idled)));
        assertEquals("idled out: over", 1L, ((Number) fx.manager.metrics().get("connections_steered")).longValue());
    }

    @Test
    public void theCountersAreOnosMetricsToo() {
        assertEquals(0, fx.gauges.get("splices").getValue());
        assertEquals(HandoffOutcome.Kind.APPLIED, fx.handoff(Figure2.aToB()).kind);
        fx.manager.sweep(); // registers the names that appeared
        assertEquals(1, fx.gauges.get("splices").getValue());
        assertEquals(1L, fx.gauges.get("handoffs_applied").getValue());
        fx.close();
        assertTrue("removed on deactivation", fx.gauges.isEmpty());
        fx = new ManagerFixture();
    }
}
