package org.tcpsplice.api.web;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.tcpsplice.api.ApiException;
import org.tcpsplice.api.SpliceIds;
import org.tcpsplice.api.SpliceService;
import org.tcpsplice.api.json.SpliceJson;
import org.tcpsplice.core.net.FourTuple;

/** {@code GET /splices}, {@code GET /splices/{id}}, {@code DELETE /splices/{id}} (admin only). */
@Path("splices")
@Produces(MediaType.APPLICATION_JSON)
public final class SpliceResource {
    private final SpliceService service;

    public SpliceResource(SpliceService service) {
        this.service = service;
    }

    @GET
    public String list() {
        return ApiJson.write(service.splices());
    }

    @GET
    @Path("{id}")
    public String get(@PathParam("id") String id) {
        FourTuple key = SpliceIds.parse(id);
        SpliceJson splice = service.splice(key);
        if (splice == null) {
            throw new ApiException(404, "UNKNOWN_SPLICE", "no splice " + id);
        }
        return ApiJson.write(splice);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @Context SecurityContext security) {
        if (!security.isUserInRole(NodeCredentials.ROLE_ADMIN)) {
            throw new ApiException(403, "FORBIDDEN", "only the admin token may remove splices");
        }
        if (!service.removeSplice(SpliceIds.parse(id))) {
            throw new ApiException(404, "UNKNOWN_SPLICE", "no splice " + id);
        }
        return Response.noContent().build();
    }
}
