package org.tcpsplice.controller.rest;

import org.tcpsplice.api.AsyncSpliceService;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpsplice.api.ApiException;
import org.tcpsplice.api.json.ErrorJson;
import org.tcpsplice.api.web.ApiJson;
import org.tcpsplice.api.web.BodyLimitFilter;
import org.tcpsplice.api.web.HandoffResource;
import org.tcpsplice.api.web.NodeCredentials;
import org.tcpsplice.core.handoff.ConnectionSnapshot;

/**
 * Serves the plain {@code POST /handoffs} (JSON in, JSON or nothing asked for out) straight on the JDK's
 * HTTP server, and hands every other request to Jersey. Under load Jersey took 29 % of the controller's
 * CPU (JFR), several times the handoff's own work; this one path is what nodes call at a high rate.
 * It runs the same steps as Jersey's filters and {@link HandoffResource}, in the same order (body
 * limit, authentication, role, parsing, the service), through the same shared code, so the answers are
 * the same: {@code HandoffLaneTest} compares them request by request. The answer is sent when the
 * handoff's commit completes, from the thread that committed it: this one when no other commit was
 * running, otherwise the committer thread, so no request thread waits behind another's fsync.
 */
final class HandoffLane implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HandoffLane.class);
    private static final String JSON = "application/json";

    private final String path;
    private final AsyncSpliceService service;
    private final NodeCredentials credentials;
    private final int bodyLimit;
    private final HttpHandler jersey;
    private final LongAdder served = new LongAdder();

    /** @param path the raw request path of handoffs; @param jersey what serves everything else */
    HandoffLane(String path, AsyncSpliceService service, NodeCredentials credentials, int bodyLimit,
                HttpHandler jersey) {
        this.path = path;
        this.service = service;
        this.credentials = credentials;
        this.bodyLimit = bodyLimit;
        this.jersey = jersey;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!isPlainHandoff(exchange)) {
            jersey.handle(exchange);
            return;
        }
        served.increment();
        try {
            InputStream in = BodyLimitFilter.read(exchange.getRequestBody(), declaredLength(exchange), bodyLimit);
            String caller = credentials.authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
            ConnectionSnapshot[] sockets = HandoffResource.sockets(
                    NodeCredentials.hasRole(caller, NodeCredentials.ROLE_NODE), in);
            // Answered from the thread that completes the commit (this one, if it led the commit).
            service.handoffAsync(caller, sockets[0], sockets[1]).whenComplete((result, failure) -> {
                if (failure == null) {
                    respond(exchange, HandoffResource.status(result), ApiJson.write(result.splice));
                } else {
                    respond(exchange, failure instanceof CompletionException ? failure.getCause() : failure);
                }
            });
        } catch (RuntimeException e) {
            respond(exchange, e);
        }
    }

    private void respond(HttpExchange exchange, Throwable failure) {
        if (failure instanceof ApiException) {
            ApiException e = (ApiException) failure;
            if (e.status == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", NodeCredentials.CHALLENGE);
            }
            respond(exchange, e.status, ApiJson.write(new ErrorJson(e.code, e.getMessage())));
        } else {
            LOG.error("POST {} failed", path, failure);
            respond(exchange, 500, ApiJson.write(new ErrorJson("INTERNAL_ERROR", "the controller failed; see its log")));
        }
    }

    private void respond(HttpExchange exchange, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", JSON);
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            LOG.debug("POST {}: could not answer {} ({}); the node will see its connection close", path, status,
                    e.getMessage());
            exchange.close();
        }
    }

    /** Requests this lane took (the rest went to Jersey). */
    long served() {
        return served.sum();
    }

    /**
     * A POST to exactly the handoffs path, with a JSON body and no Accept other than JSON or anything.
     * Everything else (other methods and media types, 404/405/406/415) is Jersey's to answer.
     */
    private boolean isPlainHandoff(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getRawPath().equals(path)) {
            return false;
        }
        Headers headers = exchange.getRequestHeaders();
        List<String> type = headers.get("Content-Type");
        if (type == null || type.size() != 1 || !mediaType(type.get(0)).equalsIgnoreCase(JSON)) {
            return false;
        }
        List<String> accept = headers.get("Accept");
        return accept == null || accept.size() == 1 && (accept.get(0).trim().equals("*/*")
                || accept.get(0).trim().equalsIgnoreCase(JSON));
    }

    private static String mediaType(String header) {
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
    }

    /** The declared body length, or -1 when there is none (chunked). */
    private static long declaredLength(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        return length == null ? -1 : Long.parseLong(length.trim());
    }
}
