package org.tcpsplice.api.web;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
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
import org.tcpsplice.api.ApiException;
import org.tcpsplice.api.SpliceIds;
import org.tcpsplice.api.SpliceService;
import org.tcpsplice.api.json.SpliceIdsJson;
import org.tcpsplice.api.json.SpliceJson;
import org.tcpsplice.core.net.FourTuple;

/**
 * {@code GET /splices}, {@code GET /splices/{id}}, {@code POST /splices/ended}, {@code DELETE /splices/{id}}
 * (admin only).
 */
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

    /**
     * Which of the given splices have ended, and which of the given connections no splice maps any more
     * (an older range compacted away): one call for all the sockets a node holds, where a {@code GET}
     * each made the node's poll grow with its held splices (a thousand held splices were a thousand
     * requests per poll). Ids the controller does not know count as ended.
     */
    @POST
    @Path("ended")
    @Consumes(MediaType.APPLICATION_JSON)
    public String ended(InputStream body) {
        SpliceIdsJson query = ApiJson.read(body, SpliceIdsJson.class);
        if (query.ids == null || query.ended != null || query.released != null) {
            throw new ApiException(400, "MALFORMED", "the body is {\"ids\": [splice ids], \"connections\": [a:p->b:q, optional]}");
        }
        List<String> ended = new ArrayList<>();
        for (String id : query.ids) {
            if (id == null) {
                throw new ApiException(400, "MALFORMED", "a splice id is null");
            }
            if (service.splice(SpliceIds.parse(id)) == null) {
                ended.add(id);
            }
        }
        List<String> released = new ArrayList<>();
        for (String connection : query.connections == null ? List.<String>of() : query.connections) {
            FourTuple t;
            try {
                t = FourTuple.parse(String.valueOf(connection));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "MALFORMED", e.getMessage());
            }
            if (!service.spliced(t)) {
                released.add(connection);
            }
        }
        return ApiJson.write(SpliceIdsJson.answer(ended, query.connections == null ? null : released));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @Context SecurityContext security) {
        if (!security.isUserInRole(NodeCredentials.ROLE_ADMIN)) {
            throw new ApiException(403, "FORBIDDEN", "only an operator may remove splices (standalone: the admin token; ONOS: an admin account that is no node)");
        }
        if (!service.removeSplice(SpliceIds.parse(id))) {
            throw new ApiException(404, "UNKNOWN_SPLICE", "no splice " + id);
        }
        return Response.noContent().build();
    }
}
