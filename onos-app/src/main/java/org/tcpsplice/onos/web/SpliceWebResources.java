package org.tcpsplice.onos.web;

import java.io.InputStream;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.onosproject.rest.AbstractWebResource;
import org.tcpsplice.api.web.HandoffResource;
import org.tcpsplice.api.web.SpliceResource;
import org.tcpsplice.api.web.StatusResource;
import org.tcpsplice.onos.impl.SpliceManager;

/**
 * The API's resources the ONOS way: ONOS's Jersey creates resources from their classes, so each is a
 * thin AbstractWebResource that finds the manager and delegates to the shared resource from rest-api.
 */
public final class SpliceWebResources {
    private SpliceWebResources() {
    }

    private static OnosSpliceService service(AbstractWebResource r) {
        return new OnosSpliceService(r.get(SpliceManager.class));
    }

    /** The caller's ONOS identity mapped to the API's roles (node or admin). */
    private static SecurityContext roles(SpliceManager manager, SecurityContext security) {
        String user = security.getUserPrincipal() == null ? "" : security.getUserPrincipal().getName();
        return new NodeSecurityContext(security, manager.isNode(user));
    }

    /** {@code POST /handoffs}. */
    @Path("handoffs")
    public static final class Handoffs extends AbstractWebResource {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public Response handoff(InputStream body, @Context SecurityContext security) {
            SpliceManager manager = get(SpliceManager.class);
            return new HandoffResource(new OnosSpliceService(manager)).handoff(body, roles(manager, security));
        }
    }

    /** {@code GET /splices}, {@code GET /splices/{id}}, {@code POST /splices/ended}, {@code DELETE /splices/{id}}. */
    @Path("splices")
    @Produces(MediaType.APPLICATION_JSON)
    public static final class Splices extends AbstractWebResource {
        @GET
        public String list() {
            return new SpliceResource(service(this)).list();
        }

        @GET
        @Path("{id}")
        public String get(@PathParam("id") String id) {
            return new SpliceResource(service(this)).get(id);
        }

        @POST
        @Path("ended")
        @Consumes(MediaType.APPLICATION_JSON)
        public String ended(InputStream body) {
            return new SpliceResource(service(this)).ended(body);
        }

        @DELETE
        @Path("{id}")
        public Response delete(@PathParam("id") String id, @Context SecurityContext security) {
            SpliceManager manager = get(SpliceManager.class);
            return new SpliceResource(new OnosSpliceService(manager)).delete(id, roles(manager, security));
        }
    }

    /** {@code GET /health}, {@code GET /metrics}, {@code GET /openapi.json}. */
    @Path("")
    @Produces(MediaType.APPLICATION_JSON)
    public static final class Status extends AbstractWebResource {
        @GET
        @Path("health")
        public String health() {
            return new StatusResource(service(this)).health();
        }

        @GET
        @Path("metrics")
        public String metrics() {
            return new StatusResource(service(this)).metrics();
        }

        @GET
        @Path("openapi.json")
        public String openApi() throws java.io.IOException {
            return new StatusResource(service(this)).openApiUnderOnos();
        }
    }
}
