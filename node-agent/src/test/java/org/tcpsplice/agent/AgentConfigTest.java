package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's configuration file: what it accepts, and that a wrong field stops it with its name. */
class AgentConfigTest {
    private static final String BASE = "\"nodeId\": \"node1\", \"nodeIp\": \"10.0.0.11\", \"controller\": \"http://10.255.0.254:8181/tcpsplice/v1\","
            + " \"token\": \"secret-of-node1-0123456789\", \"nodes\": {\"node1\": \"10.0.0.11\", \"node2\": \"10.0.0.12\"},"
            + " \"rules\": [{\"prefix\": \"/b/\", \"node\": \"node2\"}]";

    @TempDir
    Path dir;

    private AgentConfig load(String extra) throws Exception {
        Path file = dir.resolve("agent.json");
        Files.writeString(file, "{" + BASE + extra + "}");
        return AgentConfig.load(file);
    }

    @Test
    void defaultsHandOffToTheTargetsAgentAndRoutesByPrefix() throws Exception {
        AgentConfig c = load("");
        assertNull(c.handoffTargetPort, "unset: c2 goes to the target's listen port (its agent)");
        assertEquals("node2", c.nodeFor("/b/x"));
        assertEquals("node1", c.nodeFor("/elsewhere"), "no rule: served here");
        assertEquals(8080, (int) load(", \"handoffTargetPort\": 8080").handoffTargetPort);
        assertNull(c.relayPort, "unset: relayed requests go where handoffs go");
        assertEquals(8080, (int) load(", \"relayPort\": 8080").relayPort);
    }

    @Test
    void wrongFieldsAreRefusedByName() {
        Exception port = assertThrows(IllegalArgumentException.class, () -> load(", \"handoffTargetPort\": 70000"));
        assertTrue(port.getMessage().contains("handoffTargetPort"), port.getMessage());
        Exception relay = assertThrows(IllegalArgumentException.class, () -> load(", \"relayPort\": 0"));
        assertTrue(relay.getMessage().contains("relayPort"), relay.getMessage());
        Exception rule = assertThrows(IllegalArgumentException.class,
                () -> load(", \"rules\": [{\"prefix\": \"/c/\", \"node\": \"node3\"}]"));
        assertTrue(rule.getMessage().contains("node3"), rule.getMessage());
        Exception unknown = assertThrows(Exception.class, () -> load(", \"handoffTargetPrt\": 8080"));
        assertTrue(unknown.getMessage().contains("handoffTargetPrt"), unknown.getMessage());
        Exception noPort = assertThrows(IllegalArgumentException.class, () -> load(", \"webServer\": \"127.0.0.1\""));
        assertTrue(noPort.getMessage().contains("webServer"), noPort.getMessage());
        Exception relative = assertThrows(IllegalArgumentException.class,
                () -> load(", \"webServer\": \"unix:nginx.sock\""));
        assertTrue(relative.getMessage().contains("absolute"), relative.getMessage());
        Exception dispatch = assertThrows(IllegalArgumentException.class, () -> load(", \"dispatch\": \"sometimes\""));
        assertTrue(dispatch.getMessage().contains("sometimes"), dispatch.getMessage());
        Exception after = assertThrows(IllegalArgumentException.class, () -> load(", \"handoffAfterRequests\": 0"));
        assertTrue(after.getMessage().contains("handoffAfterRequests"), after.getMessage());
    }

    /** ONOS authenticates its users with HTTP Basic; the standalone controller takes bearer tokens. */
    @Test
    void theControllerIsReachedWithATokenOrAnOnosAccountNamedByTheNode() throws Exception {
        assertEquals("Bearer secret-of-node1-0123456789", load("").authorization());
        String onos = "{" + BASE.replace("\"token\": \"secret-of-node1-0123456789\"", "\"controllerLogin\": \"node1:pa:ss\"") + "}";
        Path file = dir.resolve("onos.json");
        Files.writeString(file, onos);
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("node1:pa:ss".getBytes()),
                AgentConfig.load(file).authorization(), "the password may hold colons");

        Exception both = assertThrows(IllegalArgumentException.class, () -> load(", \"controllerLogin\": \"node1:x\""));
        assertTrue(both.getMessage().contains("token") && both.getMessage().contains("controllerLogin"), both.getMessage());
        Files.writeString(file, onos.replace("node1:pa:ss", "node2:secret"));
        Exception other = assertThrows(IllegalArgumentException.class, () -> AgentConfig.load(file));
        assertTrue(other.getMessage().contains("node1:password"), other.getMessage());
    }

    @Test
    void theWebServerIsAHostAndPortOrAUnixSocket() throws Exception {
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), load("").webServerAddress());
        assertEquals(UnixDomainSocketAddress.of("/run/nginx.sock"),
                load(", \"webServer\": \"unix:/run/nginx.sock\"").webServerAddress());
    }

    @Test
    void aClusterIsGivenAsOneUrlPerInstanceAndTheApiOnlyOnce() throws Exception {
        String cluster = BASE.replace("\"controller\": \"http://10.255.0.254:8181/tcpsplice/v1\"",
                "\"controllers\": [\"http://10.255.0.201:8181/onos/tcpsplice/\", \"http://10.255.0.202:8181/onos/tcpsplice/\"]");
        Path file = dir.resolve("cluster.json");
        Files.writeString(file, "{" + cluster + "}");
        assertEquals(2, AgentConfig.load(file).controllerUrls().size());
        assertEquals(1, load("").controllerUrls().size());
        Exception both = assertThrows(IllegalArgumentException.class,
                () -> load(", \"controllers\": [\"http://10.255.0.201:8181/onos/tcpsplice/\"]"));
        assertTrue(both.getMessage().contains("controllers"), both.getMessage());
    }
}
