package org.tcpsplice.onos.web;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import javax.ws.rs.client.Entity;
import javax.ws.rs.client.Invocation;
import javax.ws.rs.client.Client;
import javax.ws.rs.client.ClientBuilder;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.junit.After;
import org.junit.Test;
import org.tcpsplice.api.Figure2Json;
import org.tcpsplice.onos.impl.ManagerFixture;

/**
 * The API as ONOS serves it: Jersey 2.27's servlet in Jetty 9.4 around {@link OnosWebFixture} (the app's
 * resource classes, a fake of ONOS's login, the manager of {@link ManagerFixture} with its fakes).
 */
public class SpliceWebResourcesTest {
    private static final String ID = "10.0.0.1:40000-10.0.0.100:80";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagerFixture fx = new ManagerFixture();
    private final OnosWebFixture.Served served;
    private final Client client = ClientBuilder.newClient();

    public SpliceWebResourcesTest() throws Exception {
        served = OnosWebFixture.serve(fx.manager);
    }

    @After
    public void cleanup() throws Exception {
        client.close();
        served.close();
        fx.close();
    }

    private Invocation.Builder as(String user, String path) {
        return client.target(served.base.resolve(path)).request(MediaType.APPLICATION_JSON)
                .header(OnosWebFixture.USER_HEADER, user);
    }

    private Response post(String user, String body) {
        return as(user, "handoffs").post(Entity.entity(body, MediaType.APPLICATION_JSON));
    }

    private static JsonNode json(Response r) throws Exception {
        return JSON.readTree(r.readEntity(String.class));
    }

    @Test
    public void aNodeHandsOffThroughOnosWithTheSameJsonAsStandalone() throws Exception {
        Response created = post("node-a", Figure2Json.A_TO_B);
        assertEquals(201, created.getStatus());
        JsonNode splice = json(created);
        assertEquals(ID, splice.get("id").asText());
        assertEquals("10.0.1.2:80", splice.get("servingNode").asText());
        assertEquals(-2000, splice.get("handoffs").get(0).get("seqDelta").asInt());
        assertEquals(200, post("node-a", Figure2Json.A_TO_B).getStatus());
        assertEquals(201, post("node-b", Figure2Json.B_TO_C).getStatus());
        JsonNode all = JSON.readTree(as("node-a", "splices").get(String.class));
        assertEquals(2, all.get(0).get("handoffs").size());
        assertEquals("the Figure 2 splice's rules, field by field", ManagerFixture.figure2PuntRules(),
                ManagerFixture.describe(fx.applied));
        assertTrue(fx.stored.containsKey("10.0.0.1:40000->10.0.0.100:80"));
    }

    private void assertRefused(Response r, int status, String code) throws Exception {
        String body = r.readEntity(String.class);
        assertEquals(body, status, r.getStatus());
        assertEquals(body, code, JSON.readTree(body).get("error").asText());
    }

    @Test
    public void refusalsHaveTheStandaloneStatusCodesAndChangeNothing() throws Exception {
        assertRefused(post("operator", Figure2Json.A_TO_B), 403, "FORBIDDEN");
        assertRefused(post("node-b", Figure2Json.A_TO_B.replace("10.0.1.1:50000", "10.0.1.2:50009").replace("10.0.1.2:80", "10.0.1.3:80")), 403,
                "NOT_CURRENT_OWNER");
        assertRefused(post("node-a", Figure2Json.A_TO_B.replace("10.0.0.1:40000", "10.0.0.7:40000")), 404,
                "UNKNOWN_CONNECTION");
        assertRefused(post("node-a", "{\"clientSide\": "), 400, "MALFORMED_JSON");
        assertRefused(post("node-a", "{\"x\": \"" + "y".repeat(20000) + "\"}"), 413, "BODY_TOO_LARGE");
        assertTrue("no rule, no store entry", fx.applied.isEmpty() && fx.stored.isEmpty());

        assertEquals(201, post("node-a", Figure2Json.A_TO_B).getStatus());
        assertRefused(as("node-a", "splices/" + ID).delete(), 403, "FORBIDDEN");
        assertEquals(204, as("karaf", "splices/" + ID).delete().getStatus());
        assertRefused(as("karaf", "splices/" + ID).get(), 404, "UNKNOWN_SPLICE");
        assertEquals(200, as("karaf", "health").get().getStatus());
    }

    /** The document ONOS serves describes ONOS's authentication, not the standalone controller's tokens. */
    @Test
    public void theOpenApiDocumentSaysHowOnosAuthenticates() throws Exception {
        String doc = as("karaf", "openapi.json").get(String.class);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc);
        assertEquals("basic", json.at("/components/securitySchemes/onos/scheme").asText());
        assertEquals("[{\"onos\":[]}]", json.get("security").toString());
        assertFalse(doc, doc.toLowerCase().contains("bearer") || doc.contains("no credentials") || doc.contains("\"security\":[]"));
        assertTrue("every path is still described", json.get("paths").has("/handoffs") && json.get("paths").has("/health"));
    }
}
