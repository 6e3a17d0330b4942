package org.tcpsplice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.util.Map;
import javax.ws.rs.client.Entity;
import javax.ws.rs.client.Invocation;
import javax.ws.rs.core.Application;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.test.JerseyTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpsplice.api.web.BodyLimitFilter;
import org.tcpsplice.api.web.NodeCredentials;
import org.tcpsplice.api.web.RestComponents;

/** The API over HTTP (Jersey in-memory container), with a tables-backed service double. */
public class RestApiTest {
    static final String TOKEN_A = "token-of-node-a-0123456789";
    static final String TOKEN_B = "token-of-node-b-0123456789";
    static final String ADMIN = "admin-token-0123456789abcdef";
    static final String ID = "10.0.0.1:40000-10.0.0.100:80";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TablesBackedService service;
    private JerseyTest jersey;

    @BeforeEach
    void start() throws Exception {
        service = new TablesBackedService();
        NodeCredentials credentials = new NodeCredentials(Map.of("node-a", TOKEN_A, "node-b", TOKEN_B), ADMIN);
        jersey = new JerseyTest() {
            @Override
            protected Application configure() {
                ResourceConfig rc = new ResourceConfig();
                RestComponents.all(service, credentials, BodyLimitFilter.DEFAULT_LIMIT).forEach(rc::register);
                return rc;
            }
        };
        jersey.setUp();
    }

    @AfterEach
    void stop() throws Exception {
        jersey.tearDown();
    }

    private Invocation.Builder call(String path, String token) {
        Invocation.Builder b = jersey.target(path).request(MediaType.APPLICATION_JSON);
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private Response post(String token, String body) {
        return call("handoffs", token).post(Entity.entity(body, MediaType.APPLICATION_JSON));
    }

    private static JsonNode json(Response r) throws Exception {
        return JSON.readTree(r.readEntity(String.class));
    }

    private String splicesAsAdmin() {
        return call("splices", ADMIN).get(String.class);
    }

    @Test
    void theFigure2ChainOverRest() throws Exception {
        Response first = post(TOKEN_A, Figure2Json.A_TO_B);
        assertEquals(201, first.getStatus());
        JsonNode splice = json(first);
        assertEquals(ID, splice.get("id").asText());
        assertEquals("10.0.1.2:80", splice.get("servingNode").asText());
        assertEquals(-2000, splice.get("handoffs").get(0).get("seqDelta").asInt());

        assertEquals(200, post(TOKEN_A, Figure2Json.A_TO_B).getStatus(), "an identical repeat is idempotent");
        assertEquals(201, post(TOKEN_B, Figure2Json.B_TO_C).getStatus());

        JsonNode all = JSON.readTree(splicesAsAdmin());
        assertEquals(1, all.size());
        JsonNode one = all.get(0);
        assertEquals(2, one.get("handoffs").size(), "GET /splices shows the two handoffs");
        assertEquals(9000, one.get("handoffs").get(1).get("handoffSeq").asLong());
        assertEquals(10000, one.get("handoffs").get(1).get("handoffAck").asLong());
        assertEquals("10.0.1.3:80", one.get("servingNode").asText());
        assertTrue(one.get("replies").get(0).get("entry").get("sealed").asBoolean(), "B's reverse entry is sealed");

        assertEquals(200, call("splices/" + ID, TOKEN_B).get().getStatus());
    }

    private void assertRefused(Response r, int status, String code) throws Exception {
        assertEquals(status, r.getStatus());
        assertEquals(MediaType.APPLICATION_JSON_TYPE, r.getMediaType());
        JsonNode body = json(r);
        assertEquals(code, body.get("error").asText(), body.toString());
        assertTrue(body.get("message").asText().length() > 5, "errors say what is wrong");
    }

    @Test
    void hostileCallsAreRefusedAndChangeNothing() throws Exception {
        assertEquals(201, post(TOKEN_A, Figure2Json.A_TO_B).getStatus());
        String before = splicesAsAdmin();

        Response noToken = post(null, Figure2Json.B_TO_C);
        assertRefused(noToken, 401, "UNAUTHENTICATED");
        assertRefused(post("not-a-known-token-at-all", Figure2Json.B_TO_C), 401, "UNAUTHENTICATED");
        assertRefused(post(ADMIN, Figure2Json.B_TO_C), 403, "FORBIDDEN");
        // Node B tries to hand off the client connection A was given (and A no longer serves).
        assertRefused(post(TOKEN_B, Figure2Json.A_TO_B.replace("10.0.1.1:50000", "10.0.1.2:50009").replace("10.0.1.2:80", "10.0.1.3:80")), 403, "NOT_CURRENT_OWNER");
        assertRefused(post(TOKEN_A, Figure2Json.A_TO_B.replace("10.0.0.1:40000", "10.0.0.7:40000")), 404, "UNKNOWN_CONNECTION");
        assertRefused(post(TOKEN_B, Figure2Json.B_TO_C.replace("\"rcvNxt\":7000", "\"rcvNxt\":1000")), 409, "STALE_SEQUENCE");
        assertRefused(post(TOKEN_A, Figure2Json.A_TO_B.replace("\"sndNxt\":2000", "\"sndNxt\":2100")), 409, "CONFLICT");
        assertRefused(post(TOKEN_A, "{\"clientSide\": "), 400, "MALFORMED_JSON");
        assertRefused(post(TOKEN_A, "{\"clientSide\": {}, \"extra\": 1}"), 400, "MALFORMED_JSON");
        assertRefused(post(TOKEN_A, "null"), 400, "MALFORMED_JSON");
        assertRefused(post(TOKEN_A, "{}"), 400, "MALFORMED");
        assertRefused(post(TOKEN_A, Figure2Json.A_TO_B.replace("\"sndNxt\":5000", "\"sndNxt\":4294967296")), 400, "MALFORMED");
        assertRefused(post(TOKEN_A, Figure2Json.A_TO_B.replace("10.0.1.2:80", "10.0.1.2:99999")), 400, "MALFORMED");
        assertRefused(post(TOKEN_A, Figure2Json.A_TO_B.replace("\"peerWindowShift\":7", "\"peerWindowShift\":15")), 400, "MALFORMED");
        assertRefused(post(TOKEN_A, Figure2Json.A_TO_B.replaceFirst("\"peerMss\":1460", "\"peerMss\":0")), 400, "MALFORMED");
        assertRefused(post(TOKEN_A, Figure2Json.A_TO_B.replace("10.0.1.2:80", "10.0.1.1:80")), 400, "MALFORMED");

        String huge = "{\"clientSide\":\"" + "x".repeat(BodyLimitFilter.DEFAULT_LIMIT) + "\"}";
        assertRefused(post(TOKEN_A, huge), 413, "BODY_TOO_LARGE");
        // Without a declared length the body is counted as it is read.
        Response streamed = call("handoffs", TOKEN_A).post(Entity.entity(
                new ByteArrayInputStream(huge.getBytes()), MediaType.APPLICATION_JSON_TYPE));
        assertRefused(streamed, 413, "BODY_TOO_LARGE");

        assertEquals(before, splicesAsAdmin(), "no refused call changed the splice table");
    }

    @Test
    void deletingNeedsTheAdminToken() throws Exception {
        assertEquals(201, post(TOKEN_A, Figure2Json.A_TO_B).getStatus());
        assertRefused(call("splices/" + ID, TOKEN_A).delete(), 403, "FORBIDDEN");
        assertRefused(call("splices/not-an-id", ADMIN).delete(), 400, "MALFORMED");
        assertEquals(204, call("splices/" + ID, ADMIN).delete().getStatus());
        assertRefused(call("splices/" + ID, ADMIN).delete(), 404, "UNKNOWN_SPLICE");
        assertRefused(call("splices/" + ID, ADMIN).get(), 404, "UNKNOWN_SPLICE");
        assertEquals("[ ]", splicesAsAdmin());
    }

    private Response ended(String token, String body) {
        return call("splices/ended", token).post(Entity.entity(body, MediaType.APPLICATION_JSON));
    }

    @Test
    void aNodeAsksWhichOfItsSplicesEndedInOneCall() throws Exception {
        assertEquals(201, post(TOKEN_A, Figure2Json.A_TO_B).getStatus());
        String gone = "10.0.0.9:41000-10.0.0.100:80";
        Response r = ended(TOKEN_A, "{\"ids\": [\"" + ID + "\", \"" + gone + "\"]}");
        assertEquals(200, r.getStatus());
        JsonNode answer = json(r);
        assertEquals(1, answer.get("ended").size(), answer.toString());
        assertEquals(gone, answer.get("ended").get(0).asText());
        assertTrue(answer.path("ids").isMissingNode(), "the answer names the ended ones only");
        assertTrue(answer.path("released").isMissingNode(), "no connections asked about, none answered");

        // The held sockets' connections: A's end of c2 is still mapped (either direction), another port not.
        String c2 = "10.0.1.1:50000->10.0.1.2:80";
        String unmapped = "10.0.1.1:50009->10.0.1.2:80";
        JsonNode held = json(ended(TOKEN_A, "{\"ids\": [], \"connections\": [\"" + c2 + "\", \"10.0.1.2:80->10.0.1.1:50000\", \""
                + unmapped + "\"]}"));
        assertEquals("[\"" + unmapped + "\"]", held.get("released").toString(), held.toString());
        assertRefused(ended(TOKEN_A, "{\"ids\": [], \"connections\": [\"10.0.1.1:50000\"]}"), 400, "MALFORMED");

        assertEquals(204, call("splices/" + ID, ADMIN).delete().getStatus());
        assertEquals(ID, json(ended(TOKEN_B, "{\"ids\": [\"" + ID + "\"]}")).get("ended").get(0).asText());
        assertEquals(0, json(ended(ADMIN, "{\"ids\": []}")).get("ended").size());

        assertRefused(ended(null, "{\"ids\": []}"), 401, "UNAUTHENTICATED");
        assertRefused(ended(TOKEN_A, "{\"ids\": [\"not-an-id\"]}"), 400, "MALFORMED");
        assertRefused(ended(TOKEN_A, "{\"ids\": [null]}"), 400, "MALFORMED");
        assertRefused(ended(TOKEN_A, "{}"), 400, "MALFORMED");
        assertRefused(ended(TOKEN_A, "{\"ids\": \"x\"}"), 400, "MALFORMED_JSON");
        assertRefused(ended(TOKEN_A, "{\"ids\": [\"" + "x".repeat(BodyLimitFilter.DEFAULT_LIMIT) + "\"]}"), 413, "BODY_TOO_LARGE");
    }

    @Test
    void healthAndDocumentNeedNoCredentials() throws Exception {
        assertEquals(200, call("health", null).get().getStatus());
        JsonNode doc = json(call("openapi.json", null).get());
        assertEquals("3.0.3", doc.get("openapi").asText());
        for (String path : new String[] {"/handoffs", "/splices", "/splices/{id}", "/splices/ended", "/health", "/metrics"}) {
            assertTrue(doc.get("paths").has(path), path);
        }
        assertRefused(call("metrics", null).get(), 401, "UNAUTHENTICATED");
        assertEquals(0, json(call("metrics", ADMIN).get()).get("splices").asInt());
        Response scrape = jersey.target("metrics/prometheus").request().header("Authorization", "Bearer " + ADMIN).get();
        assertEquals(200, scrape.getStatus());
        assertTrue(scrape.getMediaType().toString().startsWith("text/plain"), scrape.getMediaType().toString());
        assertTrue(scrape.readEntity(String.class).contains("# TYPE tcpsplice_splices gauge\ntcpsplice_splices 0\n"));
        assertEquals(401, jersey.target("metrics/prometheus").request().get().getStatus());
        assertRefused(call("no-such-thing", ADMIN).get(), 404, "NOT_FOUND");
        assertRefused(call("handoffs", TOKEN_A).get(), 405, "METHOD_NOT_ALLOWED");
    }
}
