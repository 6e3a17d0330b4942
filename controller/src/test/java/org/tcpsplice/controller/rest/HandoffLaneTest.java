package org.tcpsplice.controller.rest;

import org.tcpsplice.api.AsyncSpliceService;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpsplice.api.ApiException;
import org.tcpsplice.api.json.SpliceJson;
import org.tcpsplice.api.web.NodeCredentials;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.net.FourTuple;

/**
 * The lean {@code POST /handoffs} answers exactly as Jersey does: the same requests go to a server with
 * the lane in front of Jersey and to one with Jersey alone, over loopback HTTP, and must get the same
 * status, headers that matter and body. The splice service is a fake (its answer depends on the caller
 * only); what is under test is the HTTP handling around it.
 */
class HandoffLaneTest {
    private static final String BASE = "/tcpsplice/v1/";
    private static final int LIMIT = 4096;
    private static final String A = "node-a-secret-0123456789";
    private static final String B = "node-b-secret-0123456789";
    private static final String C = "node-c-secret-0123456789";
    private static final String BROKEN = "node-d-secret-0123456789";
    private static final String ADMIN = "admin-secret-0123456789";
    private static final String HANDOFF = "{\"clientSide\":" + conn("10.0.0.100:80", "10.0.0.1:40000")
            + ",\"newConnection\":" + conn("10.0.1.1:50000", "10.0.1.2:80") + "}";

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer withLane;
    private HttpServer jerseyOnly;
    private HandoffLane lane;

    private static String conn(String local, String remote) {
        return "{\"local\":\"" + local + "\",\"remote\":\"" + remote + "\",\"sndNxt\":5000,\"rcvNxt\":4000,"
                + "\"options\":{\"peerMss\":1460,\"localMss\":1460,\"peerWindowShift\":7,\"localWindowShift\":7,"
                + "\"sack\":true,\"timestamps\":true},\"localTsClock\":500000,\"peerTsRecent\":1000000}";
    }

    /**
     * node-a's handoffs are new, node-b's are repeats, node-c's conflict, node-d's break the service. The
     * lane's answers complete on another thread, as the controller's commits do.
     */
    private static final class FakeService implements AsyncSpliceService {
        @Override
        public CompletableFuture<HandoffResult> handoffAsync(String nodeId, ConnectionSnapshot clientSide,
                                                             ConnectionSnapshot newConnection) {
            return CompletableFuture.supplyAsync(() -> handoff(nodeId, clientSide, newConnection));
        }

        @Override
        public HandoffResult handoff(String nodeId, ConnectionSnapshot clientSide, ConnectionSnapshot newConnection) {
            switch (nodeId) {
                case "node-c":
                    throw new ApiException(409, "CONFLICT", "already spliced elsewhere");
                case "node-d":
                    throw new IllegalStateException("a bug");
                default:
                    SpliceJson splice = new SpliceJson();
                    splice.id = "splice-of-" + clientSide.tuple;
                    splice.servingNode = nodeId;
                    return new HandoffResult(nodeId.equals("node-a"), splice);
            }
        }

        @Override
        public List<SpliceJson> splices() {
            return List.of();
        }

        @Override
        public SpliceJson splice(FourTuple clientKey) {
            return null;
        }

        @Override
        public boolean spliced(FourTuple connection) {
            return false;
        }

        @Override
        public boolean removeSplice(FourTuple clientKey) {
            return false;
        }

        @Override
        public Map<String, Object> metrics() {
            return Map.of();
        }
    }

    @BeforeEach
    void start() throws Exception {
        AsyncSpliceService service = new FakeService();
        NodeCredentials credentials = new NodeCredentials(
                Map.of("node-a", A, "node-b", B, "node-c", C, "node-d", BROKEN), ADMIN);
        lane = new HandoffLane(BASE + "handoffs", service, credentials, LIMIT,
                RestServer.jersey(service, credentials, LIMIT));
        withLane = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        withLane.createContext(BASE, lane);
        withLane.start();
        jerseyOnly = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jerseyOnly.createContext(BASE, RestServer.jersey(service, credentials, LIMIT));
        jerseyOnly.start();
    }

    @AfterEach
    void stop() {
        withLane.stop(0);
        jerseyOnly.stop(0);
    }

    private static String describe(HttpResponse<String> r) {
        return r.statusCode() + " type=" + r.headers().firstValue("Content-Type").orElse("-") + " challenge="
                + r.headers().firstValue("WWW-Authenticate").orElse("-") + " " + r.body();
    }

    private HttpResponse<String> send(HttpServer server, String method, String path, Map<String, String> headers,
                                      HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + BASE + path)).method(method, body);
        headers.forEach(r::header);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the request to both servers; they must answer alike. Returns the answer. */
    private String same(String method, String path, Map<String, String> headers, String body) throws Exception {
        String viaLane = describe(send(withLane, method, path, headers, HttpRequest.BodyPublishers.ofString(body)));
        String viaJersey = describe(send(jerseyOnly, method, path, headers, HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(viaJersey, viaLane, method + " " + path + " " + headers);
        return viaLane;
    }

    private static Map<String, String> json(String token) {
        return token == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token);
    }

    private static int status(String answer) {
        return Integer.parseInt(answer.substring(0, 3));
    }

    @Test
    void thePlainHandoffIsServedByTheLaneAndAnsweredAsJerseyAnswersIt() throws Exception {
        assertEquals(201, status(same("POST", "handoffs", json(A), HANDOFF)));
        assertEquals(200, status(same("POST", "handoffs", json(B), HANDOFF)));
        assertEquals(409, status(same("POST", "handoffs", json(C), HANDOFF)));
        assertEquals(201, status(same("POST", "handoffs",
                Map.of("Content-Type", "application/json; charset=UTF-8", "Authorization", "Bearer " + A,
                        "Accept", "application/json"), HANDOFF)));
        assertEquals(201, status(same("POST", "handoffs",
                Map.of("Content-Type", "Application/JSON", "Authorization", "bearer " + A, "Accept", "*/*"), HANDOFF)));
        assertEquals(5, lane.served());
    }

    @Test
    void refusalsAreTheSameAsJerseys() throws Exception {
        assertEquals(401, status(same("POST", "handoffs", json(null), HANDOFF)));
        assertEquals(401, status(same("POST", "handoffs", json("not-a-known-token-at-all"), HANDOFF)));
        assertEquals(401, status(same("POST", "handoffs",
                Map.of("Content-Type", "application/json", "Authorization", "Basic " + A), HANDOFF)));
        assertEquals(403, status(same("POST", "handoffs", json(ADMIN), HANDOFF)));
        assertEquals(400, status(same("POST", "handoffs", json(A), "{\"clientSide\": ")));
        assertEquals(400, status(same("POST", "handoffs", json(A), "")));
        assertEquals(400, status(same("POST", "handoffs", json(A), "{}")));
        assertEquals(400, status(same("POST", "handoffs", json(A), HANDOFF.replace("10.0.1.2:80", "10.0.1.2"))));
        assertEquals(400, status(same("POST", "handoffs", json(A), HANDOFF.replace("\"sack\"", "\"sacks\""))));
        // Over the limit: refused before authentication, as Jersey's filters order it.
        assertEquals(413, status(same("POST", "handoffs", json(null), "{\"x\":\"" + "y".repeat(LIMIT) + "\"}")));
        assertEquals(10, lane.served());
    }

    @Test
    void aBodyWithoutDeclaredLengthIsLimitedByWhatArrives() throws Exception {
        byte[] huge = ("{\"x\":\"" + "y".repeat(LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] plain = HANDOFF.getBytes(StandardCharsets.UTF_8);
        for (HttpServer server : List.of(withLane, jerseyOnly)) {
            assertEquals(413, send(server, "POST", "handoffs", json(A),
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).statusCode());
            assertEquals(201, send(server, "POST", "handoffs", json(A),
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(plain))).statusCode());
        }
        assertEquals(2, lane.served());
    }

    @Test
    void everyOtherRequestIsJerseys() throws Exception {
        assertEquals(405, status(same("GET", "handoffs", json(A), "")));
        assertEquals(415, status(same("POST", "handoffs",
                Map.of("Content-Type", "text/plain", "Authorization", "Bearer " + A), HANDOFF)));
        assertEquals(406, status(same("POST", "handoffs",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + A, "Accept", "text/html"),
                HANDOFF)));
        assertEquals(404, status(same("POST", "handoffs/more", json(A), HANDOFF)));
        assertEquals(200, status(same("GET", "health", Map.of(), "")));
        assertEquals(0, lane.served());
    }

    @Test
    void aFailingServiceGivesJson500() throws Exception {
        HttpResponse<String> r = send(withLane, "POST", "handoffs", json(BROKEN), HttpRequest.BodyPublishers.ofString(HANDOFF));
        assertEquals(500, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(true, r.body().contains("\"INTERNAL_ERROR\""), r.body());
    }
}
