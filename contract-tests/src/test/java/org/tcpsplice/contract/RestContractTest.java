package org.tcpsplice.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpsplice.core.testing.Figure2.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpsplice.api.Figure2Json;
import org.tcpsplice.controller.ControllerMain;
import org.tcpsplice.controller.config.ControllerConfig;
import org.tcpsplice.core.packet.TcpFlags;
import org.tcpsplice.core.rules.RuleCompiler;
import org.tcpsplice.core.testing.FrameBuilder;
import org.tcpsplice.onos.impl.ManagerFixture;
import org.tcpsplice.onos.impl.PuntedPacket;
import org.onosproject.net.packet.OutboundPacket;
import org.tcpsplice.core.packet.ArpResponder;
import org.tcpsplice.core.testing.Hex;
import org.tcpsplice.core.vectors.TestVector;
import org.tcpsplice.core.vectors.VectorFile;
import org.tcpsplice.onos.web.OnosWebFixture;

/**
 * Both controllers driven through their REST APIs by one scenario, over real HTTP on loopback: the
 * standalone controller as it runs (REST server, OpenFlow server, journal) with a fake OpenFlow
 * switch on a real TCP connection, and the ONOS app's resources with its manager wired to ONOS's
 * test adapters (fakes, see {@link ManagerFixture}). Every step must give the same status and the
 * same JSON from both, and after each step that changes rules both switches must hold the same
 * splice rules. Only authentication differs, by design: the standalone controller takes node
 * tokens, ONOS its own users.
 */
class RestContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "10.0.0.1:40000-10.0.0.100:80";
    private static final Map<String, String> TOKENS = Map.of("node-a", "token-of-node-a-0123456789",
            "node-b", "token-of-node-b-0123456789", "node-c", "token-of-node-c-0123456789",
            "admin", "admin-token-0123456789abcdef");
    /** ONOS's user for the operator: any ONOS admin that is not a node. */
    private static final String ONOS_OPERATOR = "karaf";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private ControllerMain.Running standalone;
    private FakeOpenFlowSwitch standaloneSwitch;
    private ManagerFixture onos;
    private OnosWebFixture.Served onosRest;

    @BeforeEach
    void start() throws Exception {
        standalone = ControllerMain.start(standaloneConfig());
        standaloneSwitch = new FakeOpenFlowSwitch(standalone.openflow.address());
        standaloneSwitch.awaitReady();
        // The client's SYN reaches both controllers as a packet-in; round robin gives it to node A.
        byte[] syn = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).macs(CLIENT_MAC, SERVICE_MAC)
                .flags(TcpFlags.SYN).seq(999).build();
        standaloneSwitch.packetIn(syn, CLIENT_SWITCH_PORT);
        standaloneSwitch.awaitPacketOuts(1);

        onos = new ManagerFixture(ManagerFixture.CONFIG, false);
        onosOutputs(syn);
        onosRest = OnosWebFixture.serve(onos.manager);
    }

    @AfterEach
    void stop() throws Exception {
        onosRest.close();
        onos.close();
        standaloneSwitch.close();
        standalone.close();
    }

    private ControllerConfig standaloneConfig() {
        ControllerConfig c = new ControllerConfig();
        c.openflow = "127.0.0.1:0";
        c.rest = "127.0.0.1:0";
        c.adminToken = TOKENS.get("admin");
        c.service.vip = "10.0.0.100";
        c.service.mac = "02:00:00:00:00:64";
        c.store = dir.resolve("splices.journal").toString();
        // The same nodes as the ONOS fixture's network configuration.
        String[][] nodes = {{"node-a", "10.0.1.1", "02:00:00:00:01:01", "2"}, {"node-b", "10.0.1.2", "02:00:00:00:01:02", "3"},
                            {"node-c", "10.0.1.3", "02:00:00:00:01:03", "4"}};
        for (String[] n : nodes) {
            ControllerConfig.Node node = new ControllerConfig.Node();
            node.id = n[0];
            node.ip = n[1];
            node.mac = n[2];
            node.switchPort = Integer.parseInt(n[3]);
            node.token = TOKENS.get(n[0]);
            c.nodes.add(node);
        }
        c.validate();
        return c;
    }

    /** One call, as the same caller, to one controller. */
    private CompletableFuture<HttpResponse<String>> call(boolean onOnos, String caller, String method, String path,
                                                         String body) {
        URI base = onOnos
                ? onosRest.base
                : URI.create("http://127.0.0.1:" + standalone.rest.getAddress().getPort() + ControllerMain.API_PATH);
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (onOnos) {
            r.header(OnosWebFixture.USER_HEADER, caller.equals("admin") ? ONOS_OPERATOR : caller);
        } else {
            r.header("Authorization", "Bearer " + TOKENS.get(caller));
        }
        return http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer as status and normalized JSON text. */
    private static String answer(HttpResponse<String> response) throws Exception {
        String body = response.body();
        return response.statusCode() + " " + (body.isEmpty() ? "" : JSON.readTree(body).toPrettyString());
    }

    /**
     * Makes the call on both controllers at once (a switch that does not answer costs each its
     * timeout); they must answer alike. Returns the answer.
     */
    private String both(String caller, String method, String path, String body) throws Exception {
        CompletableFuture<HttpResponse<String>> fromStandalone = call(false, caller, method, path, body);
        CompletableFuture<HttpResponse<String>> fromOnos = call(true, caller, method, path, body);
        String standaloneAnswer = answer(fromStandalone.get());
        assertEquals(standaloneAnswer, answer(fromOnos.get()), caller + " " + method + " " + path);
        return standaloneAnswer;
    }

    private void expect(int status, String caller, String method, String path, String body) throws Exception {
        String answer = both(caller, method, path, body);
        assertEquals(status, Integer.parseInt(answer.substring(0, 3)), answer);
    }

    private Set<String> onosSpliceRules() {
        Set<String> rules = new TreeSet<>();
        onos.table.values().stream().filter(r -> r.priority() >= RuleCompiler.PUNT_PRIORITY)
                .forEach(r -> rules.add(RuleText.of(r)));
        return rules;
    }

    /**
     * Both switches hold the same splice rules, this many. A removal is not confirmed by a barrier, so
     * the standalone switch may still be reading its flow-mods: it gets two seconds to converge.
     */
    private void sameRulesOnBothSwitches(int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 2000;
        while (standaloneSwitch.spliceRules().size() != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Set<String> rules = standaloneSwitch.spliceRules();
        assertEquals(rules, onosSpliceRules(), "the two switches hold the same splice rules");
        assertEquals(expected, rules.size(), rules.toString());
    }

    @Test
    void theFigure2ScenarioGetsTheSameAnswersAndRulesFromBothControllers() throws Exception {
        // A switch that does not confirm: both refuse with 503 and keep nothing.
        standaloneSwitch.confirmBarriers(false);
        onos.switchConfirms = false;
        expect(503, "node-a", "POST", "handoffs", Figure2Json.A_TO_B);
        standaloneSwitch.confirmBarriers(true);
        onos.switchConfirms = true;
        expect(200, "admin", "GET", "splices", null);
        sameRulesOnBothSwitches(0);

        expect(201, "node-a", "POST", "handoffs", Figure2Json.A_TO_B);
        sameRulesOnBothSwitches(4);
        expect(200, "node-a", "POST", "handoffs", Figure2Json.A_TO_B);

        // Hostile or wrong calls: refused alike, and nothing changes.
        String before = both("admin", "GET", "splices", null);
        expect(403, "admin", "POST", "handoffs", Figure2Json.B_TO_C);
        expect(403, "node-b", "POST", "handoffs", Figure2Json.A_TO_B.replace("10.0.1.1:50000", "10.0.1.2:50009").replace("10.0.1.2:80", "10.0.1.3:80"));
        expect(404, "node-a", "POST", "handoffs", Figure2Json.A_TO_B.replace("10.0.0.1:40000", "10.0.0.7:40000"));
        expect(409, "node-b", "POST", "handoffs", Figure2Json.B_TO_C.replace("\"rcvNxt\":7000", "\"rcvNxt\":1000"));
        expect(409, "node-a", "POST", "handoffs", Figure2Json.A_TO_B.replace("\"sndNxt\":2000", "\"sndNxt\":2100"));
        expect(400, "node-a", "POST", "handoffs", "{\"clientSide\": ");
        expect(400, "node-a", "POST", "handoffs", "{}");
        expect(400, "node-a", "POST", "handoffs", Figure2Json.A_TO_B.replace("10.0.1.2:80", "10.0.1.9:80"));
        expect(400, "node-a", "POST", "handoffs", Figure2Json.A_TO_B.replaceFirst("\"peerMss\":1460", "\"peerMss\":0"));
        expect(400, "node-a", "POST", "handoffs", Figure2Json.A_TO_B.replace("10.0.1.2:80", "10.0.1.1:80"));
        expect(400, "node-a", "POST", "handoffs", Figure2Json.A_TO_B.replace("10.0.1.2:80", "10.0.1.1:8080"));
        expect(413, "node-a", "POST", "handoffs", "{\"x\":\"" + "y".repeat(20000) + "\"}");
        expect(400, "admin", "GET", "splices/not-an-id", null);
        expect(403, "node-a", "DELETE", "splices/" + ID, null);
        assertEquals(before, both("admin", "GET", "splices", null));
        sameRulesOnBothSwitches(4);

        expect(201, "node-b", "POST", "handoffs", Figure2Json.B_TO_C);
        sameRulesOnBothSwitches(6);
        expect(200, "node-c", "GET", "splices", null);
        expect(200, "node-b", "GET", "splices/" + ID, null);
        String endedQuery = "{\"ids\": [\"" + ID + "\", \"10.0.0.9:41000-10.0.0.100:80\"]}";
        assertEquals("200 {\n  \"ended\" : [ \"10.0.0.9:41000-10.0.0.100:80\" ]\n}",
                both("node-a", "POST", "splices/ended", endedQuery));
        expect(400, "node-a", "POST", "splices/ended", "{\"ids\": [\"not-an-id\"]}");

        expect(204, "admin", "DELETE", "splices/" + ID, null);
        expect(404, "admin", "GET", "splices/" + ID, null);
        expect(404, "admin", "DELETE", "splices/" + ID, null);
        assertEquals(200, Integer.parseInt(both("node-b", "POST", "splices/ended", endedQuery).substring(0, 3)));
        sameRulesOnBothSwitches(0);
        assertEquals("200 [ ]", both("admin", "GET", "splices", null));
    }

    /** ARP for the VIP, as Linux sends it: answered by both. */
    private static final byte[] ARP = Hex.parse("ffffffffffff020000000001080600010800060400010200000000010a000001"
            + "0000000000000a000064");
    /**
     * Another host's ARP for the VIP: on the standalone side, the end of a packet's outputs. Its answer
     * differs from every frame's, {@link #ARP}'s included, so it cannot be mistaken for one of them.
     */
    private static final byte[] FENCE = Hex.parse("ffffffffffff020000000009080600010800060400010200000000090a000009"
            + "0000000000000a000064");

    /** What the standalone controller sent out for one packet-in, as "PORT HEX" lines. */
    private List<String> standaloneOutputs(byte[] frame) throws Exception {
        int before = standaloneSwitch.packetOuts().size();
        standaloneSwitch.packetIn(frame, CLIENT_SWITCH_PORT);
        standaloneSwitch.packetIn(FENCE, CLIENT_SWITCH_PORT);
        String fence = CLIENT_SWITCH_PORT + " " + Hex.of(ArpResponder.replyFor(FENCE, SERVICE, SERVICE_MAC));
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            List<String> all = standaloneSwitch.packetOuts();
            // Packet-ins are handled in order on the switch's channel: the fence's answer comes after the frame's.
            if (all.size() > before && all.get(all.size() - 1).equals(fence)) {
                return all.subList(before, all.size() - 1);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no answer to the fence after " + Hex.of(frame) + ": " + all.subList(before, all.size()));
            }
            Thread.sleep(5);
        }
    }

    /** What the ONOS app sent out for one packet-in, in the same form (then it answers the same fence). */
    private List<String> onosOutputs(byte[] frame) {
        onos.emitted.clear();
        PuntedPacket context = new PuntedPacket(frame.clone(), CLIENT_SWITCH_PORT);
        onos.processors.keySet().iterator().next().process(context);
        List<String> out = new ArrayList<>();
        if (context.sent != null) {
            out.add(String.valueOf(context.sent).replace("[OUTPUT:", "").replace("]", "") + " " + Hex.of(frame));
        }
        for (OutboundPacket p : onos.emitted) {
            byte[] data = new byte[p.data().remaining()];
            p.data().duplicate().get(data);
            out.add(p.treatment().allInstructions().toString().replace("[OUTPUT:", "").replace("]", "") + " " + Hex.of(data));
        }
        if (!context.blocked && out.isEmpty()) {
            out.add("left to other apps"); // the standalone controller forwards such a packet normally
        }
        // The same fence the standalone side gets after each frame, so that both count alike.
        onos.processors.keySet().iterator().next().process(new PuntedPacket(FENCE.clone(), CLIENT_SWITCH_PORT));
        return out;
    }

    /** Counters as numbers, the handoff latencies left out (they are timings). */
    private static Map<String, Long> counters(String metrics) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        JSON.readTree(metrics.substring(4)).fields().forEachRemaining(e -> {
            if (e.getValue().isNumber() && !e.getKey().startsWith("handoff_latency")) {
                m.put(e.getKey(), e.getValue().asLong());
            }
        });
        return m;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long change = v - before.getOrDefault(k, 0L);
            if (change != 0) {
                d.put(k, change);
            }
        });
        return d;
    }

    /**
     * One scenario of packets through both controllers after the Figure 2 handoffs: every frame of the
     * shared test vectors' Figure 2 splice (client data in each range, the nodes' replies, older-range
     * retransmissions and acks, the target's ack of a forwarded request, FIN and RST), a new client's SYN
     * and handshake ACK, and ARP for the VIP. Each must leave both controllers as the same packets out of the same ports,
     * byte for byte, and both must count the same events.
     */
    @Test
    void packetsAfterTheFigure2HandoffsComeOutAlikeFromBothControllers() throws Exception {
        expect(201, "node-a", "POST", "handoffs", Figure2Json.A_TO_B);
        expect(201, "node-b", "POST", "handoffs", Figure2Json.B_TO_C);
        Map<String, Long> standaloneBefore = counters(answer(call(false, "admin", "GET", "metrics", null).get()));
        Map<String, Long> onosBefore = counters(answer(call(true, "admin", "GET", "metrics", null).get()));

        List<byte[]> frames = new ArrayList<>();
        for (TestVector v : VectorFile.read(Files.readString(Path.of(System.getProperty("tcpsplice.vectors"))))) {
            if (v.name.startsWith("fig2-")) {
                frames.add(v.in);
            }
        }
        frames.add(FrameBuilder.tcp(CLIENT, 41234, SERVICE, HTTP).macs(CLIENT_MAC, SERVICE_MAC).flags(TcpFlags.SYN)
                .seq(77).build());
        // Its handshake's ACK, as if ahead of its steering flows: on to the node the SYN went to.
        frames.add(FrameBuilder.tcp(CLIENT, 41234, SERVICE, HTTP).macs(CLIENT_MAC, SERVICE_MAC).flags(TcpFlags.ACK)
                .seq(78).ack(5000).build());
        frames.add(ARP);
        int compared = 0;
        for (byte[] frame : frames) {
            List<String> fromStandalone = standaloneOutputs(frame.clone());
            List<String> fromOnos = onosOutputs(frame);
            if (fromOnos.equals(List.of("left to other apps"))) {
                assertEquals(List.of("NORMAL " + Hex.of(frame)), fromStandalone, "forwarded normally: " + Hex.of(frame));
            } else {
                assertEquals(fromStandalone, fromOnos, "the packets out for " + Hex.of(frame));
            }
            compared++;
        }
        assertEquals(frames.size(), compared);

        Map<String, Long> standaloneCounted = delta(standaloneBefore,
                counters(answer(call(false, "admin", "GET", "metrics", null).get())));
        Map<String, Long> onosCounted = delta(onosBefore, counters(answer(call(true, "admin", "GET", "metrics", null).get())));
        assertEquals(standaloneCounted, onosCounted, "both count the same events under the same names");
        assertEquals(Long.valueOf(1), standaloneCounted.get("new_connections"), standaloneCounted.toString());
        // The handshake's ACK and Figure 2's client data from before the first handoff, both to node A.
        assertEquals(Long.valueOf(2), standaloneCounted.get("forwarded_to_owner"), standaloneCounted.toString());
    }
}
