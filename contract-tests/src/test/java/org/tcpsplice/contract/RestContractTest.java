package org.tcpsplice.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpsplice.core.testing.Figure2.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.TreeSet;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
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
    private HttpServer onosRest;

    @BeforeEach
    void start() throws Exception {
        standalone = ControllerMain.start(standaloneConfig());
        standaloneSwitch = new FakeOpenFlowSwitch(standalone.openflow.address());
        standaloneSwitch.awaitReady();
        // The client's SYN reaches the standalone controller as a packet-in; round robin gives it to
        // node A, which is where the ONOS fixture records it too.
        byte[] syn = FrameBuilder.tcp(CLIENT, CLIENT_PORT, SERVICE, HTTP).macs(CLIENT_MAC, SERVICE_MAC)
                .flags(TcpFlags.SYN).seq(999).build();
        standaloneSwitch.packetIn(syn, CLIENT_SWITCH_PORT);
        standaloneSwitch.awaitPacketOuts(1);

        onos = new ManagerFixture();
        onosRest = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/onos/tcpsplice/"),
                OnosWebFixture.application(onos.manager));
    }

    @AfterEach
    void stop() throws Exception {
        onosRest.stop(0);
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
                ? URI.create("http://127.0.0.1:" + onosRest.getAddress().getPort() + "/onos/tcpsplice/")
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
}
