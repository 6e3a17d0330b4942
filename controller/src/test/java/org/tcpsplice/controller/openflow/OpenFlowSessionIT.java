package org.tcpsplice.controller.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.tcpsplice.controller.Ovs;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.rules.RuleCompiler;
import org.tcpsplice.core.rules.SwitchRule;
import org.tcpsplice.core.testing.Figure2;

/** The OpenFlow layer against a real Open vSwitch 3.1 bridge (userspace datapath): handshake, rules, barrier, reconnect. */
class OpenFlowSessionIT {

    /** The flow as `ovs-ofctl --no-stats dump-flows` prints it. */
    static String asOvsPrints(SwitchRule r) {
        return "cookie=0x" + Long.toHexString(r.cookie) + ", priority=" + r.priority + ",tcp,nw_src="
                + Ipv4.format(r.tuple.srcIp) + ",nw_dst=" + Ipv4.format(r.tuple.dstIp) + ",tp_src=" + r.tuple.srcPort
                + ",tp_dst=" + r.tuple.dstPort + " actions=CONTROLLER:65535";
    }

    @Test
    void handshakeRulesBarrierAndReconnect() throws Exception {
        LinkedBlockingQueue<SwitchSession> ready = new LinkedBlockingQueue<>();
        SwitchListener listener = new SwitchListener() {
            @Override
            public void switchReady(SwitchSession session) {
                ready.add(session);
            }

            @Override
            public void packetIn(SwitchSession session, OFPacketIn packetIn) {
            }
        };
        try (OpenFlowServer server = new OpenFlowServer(new InetSocketAddress("127.0.0.1", 0), () -> listener);
             Ovs ovs = Ovs.bridge("tsofit0", server.address().getPort())) {
            SwitchSession session = ready.poll(20, TimeUnit.SECONDS);
            assertTrue(session != null && session.isReady(), "OVS completed the OpenFlow 1.3 handshake");

            List<SwitchRule> rules = RuleCompiler.compile(Figure2.afterBothHandoffs().tables, Figure2.CLIENT_KEY);
            List<OFMessage> adds = new ArrayList<>();
            for (SwitchRule r : rules) {
                adds.add(FlowMods.add(session.factory(), r, session.nextXid()));
            }
            session.send(adds);
            CompletableFuture<Void> barrier = session.barrier();
            barrier.get(10, TimeUnit.SECONDS);

            List<String> expected = rules.stream().map(OpenFlowSessionIT::asOvsPrints).sorted().collect(Collectors.toList());
            List<String> installed = ovs.flows().stream().sorted().collect(Collectors.toList());
            assertEquals(expected, installed, "exactly the compiled rules, field by field, after the barrier");

            List<OFMessage> deletes = new ArrayList<>();
            for (SwitchRule r : rules.subList(0, 2)) {
                deletes.add(FlowMods.delete(session.factory(), r, session.nextXid()));
            }
            session.send(deletes);
            session.barrier().get(10, TimeUnit.SECONDS);
            assertEquals(rules.size() - 2, ovs.flows().size(), "strict deletes remove exactly their rule");

            ovs.disconnectController();
            ovs.connectController(server.address().getPort());
            SwitchSession again = ready.poll(20, TimeUnit.SECONDS);
            assertTrue(again != null && again.isReady(), "a reconnecting switch is handshaken again (rules get reinstalled there)");
        }
    }
}
