package org.tcpsplice.api.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.tcpsplice.api.SpliceService;

/**
 * {@code GET /health}, {@code GET /metrics} (JSON; {@code /metrics/prometheus}: Prometheus's text format),
 * {@code GET /openapi.json}. The standalone controller serves
 * health and the document without credentials and everything else for bearer tokens; ONOS's web stack
 * asks every call for an ONOS account (HTTP Basic), and the document it serves says so.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public final class StatusResource {
    private final SpliceService service;

    public StatusResource(SpliceService service) {
        this.service = service;
    }

    @GET
    @Path("health")
    public String health() {
        return ApiJson.write(Map.of("status", "up"));
    }

    @GET
    @Path("metrics")
    public String metrics() {
        return ApiJson.write(service.metrics());
    }

    /** The same counters for Prometheus's scraper. */
    @GET
    @Path("metrics/prometheus")
    @Produces(PrometheusText.CONTENT_TYPE)
    public String prometheus() {
        return PrometheusText.of(service.metrics());
    }

    @GET
    @Path("openapi.json")
    public String openApi() throws IOException {
        try (InputStream in = StatusResource.class.getResourceAsStream("/org/tcpsplice/api/openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The document as ONOS serves it: HTTP Basic with ONOS accounts on every path, health and itself included. */
    public String openApiUnderOnos() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode doc =
                (com.fasterxml.jackson.databind.node.ObjectNode) ApiJson.MAPPER.readTree(openApi());
        com.fasterxml.jackson.databind.node.ObjectNode schemes = ApiJson.MAPPER.createObjectNode();
        schemes.putObject("onos").put("type", "http").put("scheme", "basic").put("description",
                "an ONOS account with the admin role: a node's is named by its node id; an admin that is no node may"
                        + " remove splices");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("components")).set("securitySchemes", schemes);
        doc.putArray("security").addObject().putArray("onos");
        doc.get("paths").forEach(path -> path.forEach(op -> {
            if (op.isObject() && op.has("summary")) { // an operation (path items also hold parameter lists)
                com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) op;
                o.remove("security");
                o.put("summary", o.get("summary").asText().replace(" (no credentials)", ""));
            }
        }));
        return ApiJson.MAPPER.writeValueAsString(doc);
    }
}
