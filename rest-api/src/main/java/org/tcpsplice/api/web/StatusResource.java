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

/** {@code GET /health} (no credentials), {@code GET /metrics}, {@code GET /openapi.json} (no credentials). */
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

    @GET
    @Path("openapi.json")
    public String openApi() throws IOException {
        try (InputStream in = StatusResource.class.getResourceAsStream("/org/tcpsplice/api/openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
