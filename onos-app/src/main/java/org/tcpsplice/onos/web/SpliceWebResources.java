package org.tcpsplice.onos.web;

import java.io.InputStream;
import java.util.concurrent.CompletionException;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.onosproject.rest.AbstractWebResource;
import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.api.web.ApiJson;
import org.tcpsplice.api.web.HandoffResource;
import org.tcpsplice.api.web.NodeCredentials;
import org.tcpsplice.api.web.SpliceResource;
import org.tcpsplice.api.web.StatusResource;
import org.tcpsplice.onos.api.TcpSpliceService;

/**
 * The API's resources the ONOS way: ONOS's Jersey creates resources from their classes, so each is a
 * thin AbstractWebResource that finds the app's service and delegates to the shared resource from rest-api.
 */
public final class SpliceWebResources {
    private SpliceWebResources() {
    }

    private static TcpSpliceService service(AbstractWebResource r) {
        return r.get(TcpSpliceService.class);
    }

    /** The caller's ONOS identity mapped to the API's roles (node or admin). */
    private static SecurityContext roles(TcpSpliceService service, SecurityContext security) {
        String user = security.getUserPrincipal() == null ? "" : security.getUserPrincipal().getName();
        return new NodeSecurityContext(security, service.isNode(user));
    }

    /**
     * {@code POST /handoffs}, answered when the engine has confirmed or undone the handoff: the request
     * is suspended meanwhile, and no ONOS web thread waits for the switch.
     */
    @Path("handoffs")
    public static final class Handoffs extends AbstractWebResource {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public void handoff(InputStream body, @Context SecurityContext security, @Suspended AsyncResponse answer) {
            TcpSpliceService service = service(this);
            SecurityContext caller = roles(service, security);
            ConnectionSnapshot[] sockets;
            try {
                sockets = HandoffResource.sockets(caller.isUserInRole(NodeCredentials.ROLE_NODE), body);
            } catch (RuntimeException refused) {
                answer.resume(refused);
                return;
            }
            service.handoffAsync(caller.getUserPrincipal().getName(), sockets[0], sockets[1]).whenComplete((result, failure) -> {
                if (failure != null) {
                    answer.resume(failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
                } else {
                    answer.resume(Response.status(HandoffResource.status(result)).entity(ApiJson.write(result.splice))
                            .build());
                }
            });
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
            TcpSpliceService service = service(this);
            return new SpliceResource(service).delete(id, roles(service, security));
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
        @Path("metrics/prometheus")
        @Produces(org.tcpsplice.api.web.PrometheusText.CONTENT_TYPE)
        public String prometheus() {
            return new StatusResource(service(this)).prometheus();
        }

        @GET
        @Path("openapi.json")
        public String openApi() throws java.io.IOException {
            return new StatusResource(service(this)).openApiUnderOnos();
        }
    }
}
